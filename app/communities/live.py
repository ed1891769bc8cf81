"""How realtime sees communities: a community's room, joined by whoever may read the community."""

from app.communities.models import Community
from app.extensions import db
from app.realtime import rooms


def _load_community(community_id: int) -> Community | None:
    return db.session.get(Community, community_id)


def _can_join_community(community: Community, user) -> bool:
    return community.can_read(user)


def register(app) -> None:
    """Register the community room kind."""
    rooms.register_kind("community", _load_community, _can_join_community)
