"""Room names are built here, on the server, from ids; clients never send a room name.

Realtime knows no model. A domain registers each kind of room its objects have, from its own
package (`register_kind("thread", load, can_join)`): `load(id)` gives the object or None, and
`can_join(obj, user)` says whether `user` may read its room now. A join and the re-check when
readers change (`access.py`) both ask it. The user room (`user:<id>`) is realtime's own.
"""

from collections.abc import Callable
from dataclasses import dataclass

from app.core.database import MAX_ID

USER_KIND = "user"


@dataclass(frozen=True)
class RoomKind:
    load: Callable[[int], object | None]
    can_join: Callable[[object, object], bool]
    presence: bool = False  # readers and typists are counted (thread rooms)


_kinds: dict[str, RoomKind] = {}


def register_kind(kind: str, load, can_join, presence: bool = False) -> None:
    """Let sockets join `<kind>:<id>` rooms; registering a kind again replaces it (one per app build)."""
    if kind == USER_KIND or not kind.isidentifier():
        raise ValueError(f"Room kind {kind!r} cannot be registered")
    _kinds[kind] = RoomKind(load, can_join, presence)


def registered_kinds() -> tuple[str, ...]:
    return tuple(_kinds)


def name(kind: str, object_or_id) -> str:
    return f"{kind}:{getattr(object_or_id, 'id', object_or_id)}"


def thread(thread_or_id) -> str:
    return name("thread", thread_or_id)


def community(community_or_id) -> str:
    return name("community", community_or_id)


def user(user_or_id) -> str:
    return name(USER_KIND, user_or_id)


def counts_presence(room: str) -> bool:
    """Whether readers and typists of `room` are counted (its kind was registered with presence)."""
    kind = _kinds.get(room.partition(":")[0])
    return kind is not None and kind.presence


def parse(room: str) -> tuple[str, int] | None:
    """(kind, id) of a registered kind's room name, else None (a socket's own sid room, a user room)."""
    kind, _sep, object_id = room.partition(":")
    if kind not in _kinds or not object_id.isdigit():
        return None
    return kind, int(object_id)


def authorised_room(kind, object_id, user) -> str | None:
    """The room for (kind, id) if `user` may read it now (checked in the database), else None."""
    if isinstance(object_id, bool) or not isinstance(object_id, int):
        return None
    if not 0 < object_id <= MAX_ID:  # names no row, and PostgreSQL would refuse the query
        return None
    if kind == USER_KIND:
        return user_room_if_self(object_id, user)
    registered = _kinds.get(kind) if isinstance(kind, str) else None
    if registered is None:
        return None
    target = registered.load(object_id)
    if target is None or not registered.can_join(target, user):
        return None
    return name(kind, object_id)


def user_room_if_self(user_id, user) -> str | None:
    if user.is_authenticated and user.id == user_id:
        return name(USER_KIND, user_id)
    return None
