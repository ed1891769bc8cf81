"""Files on formal contributions: seen by whoever may see the contribution (a private nomination's
CV by its author, the secretariat and its reviewers only), attached by its author while it is editable."""

from flask import current_app

from app.consultation.models import Contribution
from app.consultation.services.contributions import contribution_path
from app.core import signals
from app.extensions import db
from app.files import parents


def _load(contribution_id: int) -> Contribution | None:
    return db.session.get(Contribution, contribution_id)


def allowed_types() -> set[str]:
    return {
        value.strip() for value in current_app.config["UPLOAD_TYPES_CONTRIBUTION"].split(",") if value.strip()
    }


def describe(contribution: Contribution) -> dict:
    """Where a contribution's file sits, for a search result."""
    return {
        "community_ids": contribution.community_ids, "url": contribution_path(contribution),
        "title": f"{contribution.reference}: {contribution.title}" if contribution.reference else contribution.title,
        "author_username": contribution.author.username, "language": contribution.language,
    }  # fmt: skip


def file_removed(contribution: Contribution, _user) -> None:
    """Search sees the contribution without the file (`has:attachment`); its page lists the removal."""
    signals.searchable_changed.send("contribution", entity_id=contribution.id, operation="upsert")


def register() -> None:
    parents.register(
        "contribution", _load, lambda contribution, user: contribution.can_view(user), allowed_types,
        lambda contribution, user: contribution.can_edit(user), describe, changed=file_removed,
    )  # fmt: skip
