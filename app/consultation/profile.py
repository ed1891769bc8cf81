"""A member's contributions on their profile: only those the viewer may read."""

from itertools import islice

from app.auth import profile
from app.consultation.models import Contribution, ContributionState
from app.extensions import db

PROFILE_LIMIT = 20


def contributions_by(user, viewer, limit=PROFILE_LIMIT) -> list[Contribution]:
    """`user`'s submitted contributions that `viewer` may read, newest first; drafts never show."""
    query = (
        db.select(Contribution)
        .where(Contribution.author_id == user.id, Contribution.state != ContributionState.DRAFT)
        .order_by(Contribution.id.desc())
    )
    readable = (c for c in db.session.execute(query).scalars() if c.can_view(viewer))
    return list(islice(readable, limit))


def register() -> None:
    profile.register_section("contributions", "consultation/_profile_contributions.html", contributions_by)
