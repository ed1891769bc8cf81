"""Consultation actions, one public function per action. They flush, log and signal; callers commit.

Split by subject (as Indico's `operations.py` modules are); everything is importable from here:
`from app.consultation import services; services.submit(contribution, user)`.
"""

from app.consultation.services.brief import (
    add_item,
    add_section,
    change_item,
    delete_section,
    draft_content,
    has_unpublished_changes,
    latest_version,
    publish,
    publish_correction,
    remove_item,
    set_intro,
    unpublish,
)
from app.consultation.services.consultations import (
    add_phase,
    create_consultation,
    delete_phase,
    grant_role,
    revoke_role,
    update_consultation,
    update_phase,
)
from app.consultation.services.contributions import (
    accept,
    accept_late,
    contribution_path,
    create_contribution,
    decline,
    edit_contribution,
    merge,
    request_late_acceptance,
    screen,
    submit,
    withdraw,
)
from app.consultation.services.errors import ConsultationError, InvalidInput, NotFound
from app.consultation.services.meetings import (
    create_meeting,
    link_item,
    record_minutes,
    register,
    unlink_item,
    unregister,
    update_meeting,
)
from app.consultation.services.reviews import assign_reviewer, submit_review

__all__ = [
    "ConsultationError",
    "InvalidInput",
    "NotFound",
    "accept",
    "accept_late",
    "add_item",
    "add_phase",
    "add_section",
    "draft_content",
    "has_unpublished_changes",
    "latest_version",
    "publish_correction",
    "assign_reviewer",
    "change_item",
    "contribution_path",
    "create_consultation",
    "create_contribution",
    "create_meeting",
    "decline",
    "delete_phase",
    "delete_section",
    "edit_contribution",
    "grant_role",
    "link_item",
    "merge",
    "publish",
    "record_minutes",
    "register",
    "remove_item",
    "request_late_acceptance",
    "revoke_role",
    "screen",
    "set_intro",
    "submit",
    "submit_review",
    "unlink_item",
    "unpublish",
    "unregister",
    "update_consultation",
    "update_meeting",
    "update_phase",
    "withdraw",
]
