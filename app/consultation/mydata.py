"""What consultation keeps of a member, for "Download my data" and account deletion.

Their contributions are exported whole (drafts too). Deleting the account deletes their drafts;
what they submitted stays in the consultation's record, attributed to the organisation they gave
(their name goes with the account), as does anything already in a published brief. Their roles,
meeting registrations, calendar address and reminders end.
"""

from app.auth import mydata
from app.consultation.models import (
    CalendarKey,
    ConsultationRole,
    Contribution,
    ContributionState,
    MeetingRegistration,
    Reminder,
)  # fmt: skip
from app.consultation.services.contributions import contribution_path
from app.extensions import db


def _contributions(user) -> list[dict]:
    rows = db.session.execute(
        db.select(Contribution).filter_by(author_id=user.id).order_by(Contribution.id)
    ).scalars()
    return [
        {"consultation": row.consultation.slug, "reference": row.reference, "type": row.type, "state": row.state,
         "title": row.title, "summary": row.summary, "body": row.body_source, "details": row.details,
         "organisation": row.submitter_organisation, "region": row.submitter_region,
         "action_lines": [line.community.slug for line in row.action_lines], "created_at": row.created_at,
         "submitted_at": row.submitted_at, "decided_at": row.decided_at, "page": contribution_path(row)}
        for row in rows
    ]  # fmt: skip


def _meetings(user) -> list[dict]:
    rows = db.session.execute(db.select(MeetingRegistration).filter_by(user_id=user.id)).scalars()
    return [
        {
            "meeting": row.meeting.title,
            "starts_at": row.meeting.starts_at,
            "mode": row.mode,
            "attended": row.attended,
        }
        for row in rows
    ]


def _forget(user, erase_text: bool) -> None:
    # Drafts were never part of the record: gone, with what hangs on them (the database cascades).
    db.session.execute(
        db.delete(Contribution)
        .where(Contribution.author_id == user.id, Contribution.state == ContributionState.DRAFT)
        .execution_options(synchronize_session=False)
    )
    for model in (ConsultationRole, MeetingRegistration, CalendarKey, Reminder):
        db.session.execute(db.delete(model).where(model.user_id == user.id))
    db.session.flush()


def register() -> None:
    mydata.register_export("contributions", _contributions)
    mydata.register_export("meetings", _meetings)
    mydata.register_erasure("consultation", _forget)
