"""Realtime's own subscribers and after-commit emitters: room events and ephemeral events go out after
the commit; revoked sessions close their sockets. What a domain's objects send to their rooms is the
domain's own (e.g. `app/discussions/live.py`), published through `services.publish`.
"""

import logging

from app.core import after_commit, signals
from app.extensions import socketio
from app.realtime import rooms
from app.realtime.services import EMIT_KIND, EPHEMERAL_KIND, SOCKET_EVENT

logger = logging.getLogger(__name__)


def on_sessions_revoked(user, **_):
    after_commit.queue("socketio-revoke", {"user_id": user.id})


def _emit_room_event(payload: dict) -> None:
    socketio.emit(SOCKET_EVENT, payload, to=payload["room"])


def _emit_ephemeral(payload: dict) -> None:
    socketio.emit(payload["event"], {"room": payload["room"], **payload["data"]}, to=payload["room"])


def _revoke(payload: dict) -> None:
    """Tell every process's sockets of this user to close, and close this process's ones now."""
    room = rooms.user(payload["user_id"])
    socketio.emit("session_revoked", {}, to=room)
    from app.realtime.handlers import disconnect_local

    disconnect_local(room)


SUBSCRIPTIONS = [
    (signals.user_sessions_revoked, on_sessions_revoked),
]


def register(app):
    """Connect the signal subscribers and the after-commit emitters (idempotent across apps)."""
    from app.realtime import presence
    from app.realtime.services import current_seq

    presence.configure(app)
    app.jinja_env.globals["room_seq"] = lambda kind, object_id: current_seq(f"{kind}:{object_id}")
    for signal, subscriber in SUBSCRIPTIONS:
        signal.connect(subscriber, weak=False)
    after_commit.register(EMIT_KIND, _emit_room_event)
    after_commit.register(EPHEMERAL_KIND, _emit_ephemeral)
    after_commit.register("socketio-revoke", _revoke)
