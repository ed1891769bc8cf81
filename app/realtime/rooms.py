"""Room names are built here, on the server, from ids; clients never send a room name."""

from app.communities.models import Community
from app.core.database import MAX_ID
from app.discussions.models import Thread
from app.extensions import db

ROOM_KINDS = ("thread", "community", "user")


def thread(thread_or_id) -> str:
    return f"thread:{getattr(thread_or_id, 'id', thread_or_id)}"


def community(community_or_id) -> str:
    return f"community:{getattr(community_or_id, 'id', community_or_id)}"


def user(user_or_id) -> str:
    return f"user:{getattr(user_or_id, 'id', user_or_id)}"


def authorised_room(kind, object_id, user) -> str | None:
    """The room for (kind, id) if `user` may read it now (checked in the database), else None."""
    if kind not in ROOM_KINDS or isinstance(object_id, bool) or not isinstance(object_id, int):
        return None
    if not 0 < object_id <= MAX_ID:  # names no row, and PostgreSQL would refuse the query
        return None
    if kind == "user":
        return user_room_if_self(object_id, user)
    model = Thread if kind == "thread" else Community
    target = db.session.get(model, object_id)
    if target is None or not target.can_read(user):
        return None
    return thread(target) if kind == "thread" else community(target)


def user_room_if_self(user_id, user) -> str | None:
    if user.is_authenticated and user.id == user_id:
        return f"user:{user_id}"
    return None
