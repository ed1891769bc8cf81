"""Socket.IO event handlers: thin, authenticated per event, rooms built on the server (STYLE.md habit 8).

Flask-SocketIO gives each connection its own copy of the Flask session, taken at connect (so an HTTP
sign-out does not reach it: sign-out and suspension disconnect the user's sockets instead). Flask-Login
reloads the user from the database on every event, so a suspended user is anonymous from the next
event on. Per-connection state (rooms joined, rate-limit bucket) lives in that session copy; the
per-person limit, which must survive reconnects, lives in a shared store (ratelimit.py).
"""

import logging
import time
from functools import wraps

from flask import current_app, request, session
from flask_login import current_user

from app.extensions import socketio
from app.realtime import access, presence, ratelimit, rooms
from app.realtime.services import current_seq, events_since

logger = logging.getLogger(__name__)

MAX_ROOMS_PER_CONNECTION = 50
EVENTS_PER_SECOND = 10
BURST = 30
TYPING_INTERVAL = 2.0


def _state() -> dict:
    """Per-connection state, kept in the connection's own session copy."""
    return session.setdefault("majlis_socket", {"rooms": [], "tokens": BURST, "stamp": time.monotonic()})


def _save(state: dict) -> None:
    session["majlis_socket"] = state


def _allow_event(state: dict) -> bool:
    """A token bucket per connection: bursts of BURST events, EVENTS_PER_SECOND sustained."""
    now = time.monotonic()
    tokens = min(BURST, state.get("tokens", BURST) + (now - state.get("stamp", now)) * EVENTS_PER_SECOND)
    state["stamp"] = now
    if tokens < 1:
        state["tokens"] = tokens
        return False
    state["tokens"] = tokens - 1
    return True


class ClientGone(Exception):
    """The connection closed while one of its events was being handled (a page closed mid-join)."""


def _connected() -> bool:
    return socketio.server.manager.is_connected(request.sid, "/")


def guarded(handler):
    """Rate-limit per connection and per person; turn bad input into an error acknowledgement, never a crash."""

    @wraps(handler)
    def wrapper(data=None):
        state = _state()
        allowed = _allow_event(state)
        _save(state)
        if not allowed or not ratelimit.allow(current_user, request.remote_addr):
            return {"ok": False, "error": "rate_limited"}
        if data is not None and not isinstance(data, dict):
            return {"ok": False, "error": "bad_payload"}
        try:
            return handler(data or {})
        except ClientGone:
            logger.info("Socket %s disconnected during %s", request.sid, handler.__name__)
            return {"ok": False, "error": "disconnected"}
        except Exception:
            logger.exception("Socket handler %s failed", handler.__name__)
            return {"ok": False, "error": "server_error"}

    return wrapper


def _room_from(data) -> str | None:
    """The room the client asks for, if it may read it now (checked in the database)."""
    return rooms.authorised_room(data.get("kind"), data.get("id"), current_user)


def _presence_key() -> str:
    return f"u{current_user.id}" if current_user.is_authenticated else f"a{request.sid}"


def _broadcast_presence(room: str) -> None:
    if rooms.counts_presence(room):
        socketio.emit("presence", {"room": room, **presence.store().counts(room)}, to=room)


@socketio.on("connect")
def on_connect(auth=None):
    """Accept anonymous and signed-in clients; a signed-in one joins its own user room."""
    _save({"rooms": [], "tokens": BURST, "stamp": time.monotonic()})
    access.start(current_app._get_current_object())  # hear other processes' re-checks before any join
    if current_user.is_authenticated:
        from flask_socketio import join_room

        join_room(rooms.user(current_user))
    return True


@socketio.on("join")
@guarded
def on_join(data):
    """Join a thread or community room after a permission check; replay what the client missed."""
    room = _room_from(data)
    if room is None:
        return {"ok": False, "error": "not_found"}
    state = _state()
    if room not in state["rooms"]:
        if len(state["rooms"]) >= MAX_ROOMS_PER_CONNECTION:
            return {"ok": False, "error": "too_many_rooms"}
        state["rooms"].append(room)
        _save(state)
    _enter(room)
    return _replay_answer(room, data.get("since"))


def _enter(room: str) -> None:
    """Put this connection in `room` (and count it as a reader), unless it has closed meanwhile."""
    from flask_socketio import join_room

    if not _connected():
        raise ClientGone
    try:
        join_room(room)
    except (KeyError, ValueError):  # it closed between the check and the join
        if _connected():
            raise
        raise ClientGone from None
    if rooms.counts_presence(room):
        show = bool(current_user.is_authenticated and current_user.show_presence)
        presence.store().enter(room, request.sid, _presence_key(), show)
        if not _connected():  # closed while entering: its disconnect handler has already run
            presence.store().leave(room, request.sid)
            raise ClientGone
        _broadcast_presence(room)


def _replay_answer(room: str, since) -> dict:
    if isinstance(since, bool) or not isinstance(since, int) or since < 0:
        return {"ok": True, "room": room, "seq": current_seq(room), "events": []}
    events, reload = events_since(room, since)
    if reload:
        return {"ok": True, "room": room, "reload": True, "seq": current_seq(room), "events": []}
    return {"ok": True, "room": room, "seq": events[-1]["seq"] if events else since, "events": events}


@socketio.on("replay")
@guarded
def on_replay(data):
    """Events of a room the client already joined, after `since` (used when it sees a gap)."""
    room = _room_from(data)
    if room is None or room not in _state()["rooms"]:
        return {"ok": False, "error": "not_joined"}
    return _replay_answer(room, data.get("since"))


@socketio.on("leave")
@guarded
def on_leave(data):
    """Leave a room."""
    from flask_socketio import leave_room

    kind, object_id = data.get("kind"), data.get("id")
    room = (
        rooms.name(kind, object_id)
        if kind in rooms.registered_kinds() and isinstance(object_id, int)
        else None
    )
    state = _state()
    if room is None or room not in state["rooms"]:
        return {"ok": False, "error": "not_joined"}
    state["rooms"].remove(room)
    _save(state)
    leave_room(room)
    presence.store().leave(room, request.sid)
    _broadcast_presence(room)
    return {"ok": True}


@socketio.on("typing")
@guarded
def on_typing(data):
    """A reader is composing a reply (throttled per connection; cleared by `stopped` or after a few seconds)."""
    room = _room_from({"kind": "thread", "id": data.get("id")})
    state = _state()
    if room is None or room not in state["rooms"]:
        return {"ok": False, "error": "not_joined"}
    if not current_user.is_authenticated or not current_user.can_post() or not current_user.show_presence:
        return {"ok": True}
    if data.get("stopped"):
        presence.store().stopped_typing(room, _presence_key())
    else:
        now = time.monotonic()
        if now - state.get("typing_at", 0) < TYPING_INTERVAL:
            return {"ok": False, "error": "rate_limited"}
        state["typing_at"] = now
        _save(state)
        presence.store().typing(room, _presence_key())
    _broadcast_presence(room)
    return {"ok": True}


@socketio.on("disconnect")
def on_disconnect(*args):
    """Forget the connection's presence everywhere it was."""
    for room in presence.store().rooms_of(request.sid):
        presence.store().leave(room, request.sid)
        _broadcast_presence(room)


@socketio.on("*")
def on_unknown(event, *args):
    """Unknown events get an error acknowledgement."""
    return {"ok": False, "error": "unknown_event"}


def disconnect_local(room: str) -> None:
    """Close every connection of this process that is in `room`."""
    manager = socketio.server.manager
    for sid, _eio_sid in list(manager.get_participants("/", room)):
        socketio.server.disconnect(sid, namespace="/", ignore_queue=True)
