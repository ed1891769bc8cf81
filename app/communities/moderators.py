"""Which communities a user moderates: asked once per request and user, forgotten when it changes.

auth's `User.moderates` and `User.moderated_community_ids` (used by templates) ask this through the
lookup communities registers in `init_app`, so auth never imports communities.
"""

from flask import g, has_app_context
from sqlalchemy import event

from app.communities.models import CommunityModerator
from app.extensions import db


def _cache() -> dict[int, frozenset[int]] | None:
    if not has_app_context():
        return None
    if "moderated_community_ids" not in g:
        g.moderated_community_ids = {}
    return g.moderated_community_ids


def moderated_community_ids(user) -> frozenset[int]:
    """The ids of the communities `user` was made moderator of (not their sub-lines)."""
    if not user.is_authenticated:
        return frozenset()
    cache = _cache()
    if cache is not None and user.id in cache:
        return cache[user.id]
    rows = db.session.execute(db.select(CommunityModerator.community_id).filter_by(user_id=user.id))
    ids = frozenset(rows.scalars())
    if cache is not None:
        cache[user.id] = ids
    return ids


def forget(user_id: int) -> None:
    """Drop the cached answer for `user_id`: the next question reads the database again."""
    cache = _cache()
    if cache is not None:
        cache.pop(user_id, None)


@event.listens_for(CommunityModerator, "after_insert")
@event.listens_for(CommunityModerator, "after_delete")
def _moderators_changed(_mapper, _connection, row) -> None:
    forget(row.user_id)
