"""Open sockets leave the rooms their person may no longer read.

A join is checked once; access can end later (a thread hidden or moved into a restricted community, a
member removed from one). The domain says so with `signals.readers_changed` (which threads, whose
rooms); after the commit every process re-checks its own sockets in those rooms against the
database (`rooms.authorised_room`, i.e. the `can_join` the room's kind was registered with) and takes
out those that fail. With a Redis message queue the request goes to every process over a Redis
channel of the site's own; the process that made the change re-checks its sockets at once.
"""

import json
import logging
import uuid

from flask import current_app

from app.core import after_commit, signals
from app.core.permissions import VISITOR
from app.extensions import login_manager, socketio
from app.realtime import presence, rooms

logger = logging.getLogger(__name__)

RECHECK_KIND = "socketio-recheck-readers"
NAMESPACE = "/"
ACCESS_ENDED_EVENT = "access_ended"


def on_readers_changed(_sender=None, thread_ids=(), user_ids=(), **_):
    """Queue the re-check for after the commit (the change is not visible to others before)."""
    after_commit.queue(
        RECHECK_KIND,
        {"thread_ids": sorted({int(i) for i in thread_ids}), "user_ids": sorted({int(i) for i in user_ids})},
    )


def _after_commit(payload: dict) -> None:
    """Ask the other processes, then re-check this process's sockets (in a session of its own:
    the committing one can run no SQL now)."""
    app = current_app._get_current_object()
    bus = app.extensions.get(_BUS)
    if bus is not None:
        bus.publish(payload)
    with app.app_context():
        recheck_local(payload)


def recheck_local(payload: dict) -> int:
    """Take this process's sockets out of the rooms of `payload` they may no longer read; how many left."""
    manager = socketio.server.manager
    checks: dict[str, set[str]] = {}  # sid -> rooms to check
    for thread_id in payload.get("thread_ids", ()):
        room = rooms.thread(thread_id)
        for sid, _eio_sid in list(manager.get_participants(NAMESPACE, room)):
            checks.setdefault(sid, set()).add(room)
    for user_id in payload.get("user_ids", ()):
        for sid, _eio_sid in list(manager.get_participants(NAMESPACE, rooms.user(user_id))):
            checks.setdefault(sid, set()).update(manager.get_rooms(sid, NAMESPACE) or ())
    removed = 0
    for sid, names in checks.items():
        removed += _recheck_socket(sid, sorted(names))
    return removed


def _recheck_socket(sid: str, names: list[str]) -> int:
    user = _user_of(sid)
    removed = 0
    for room in names:
        parsed = rooms.parse(room)
        if parsed is None:
            continue  # the socket's own sid room and user room
        if rooms.authorised_room(*parsed, user) is not None:
            continue
        socketio.server.leave_room(sid, room, namespace=NAMESPACE)
        _forget(sid, room)
        presence.store().leave(room, sid)
        socketio.emit(ACCESS_ENDED_EVENT, {"room": room}, to=sid)
        if rooms.counts_presence(room):
            socketio.emit("presence", {"room": room, **presence.store().counts(room)}, to=room)
        logger.info("Socket %s of %s left %s: access ended", sid, _describe(user), room)
        removed += 1
    return removed


def _socket_session(sid: str) -> dict:
    """The Flask session copy the socket's handlers see (Flask-SocketIO keeps it in the environ)."""
    environ = socketio.server.get_environ(sid, namespace=NAMESPACE) or {}
    return environ.get("saved_session") or {}


def _user_of(sid: str):
    """The socket's person, loaded as Flask-Login loads them on its next event (anonymous if none)."""
    session_id = _socket_session(sid).get("_user_id")
    user = login_manager.user_callback(session_id) if session_id and login_manager.user_callback else None
    return user if user is not None else VISITOR


def _forget(sid: str, room: str) -> None:
    """Drop the room from the connection's own list (its room limit and `replay` use it)."""
    state = _socket_session(sid).get("majlis_socket")
    if isinstance(state, dict) and room in state.get("rooms", []):
        state["rooms"].remove(room)


def _describe(user) -> str:
    return f"user {user.id}" if user.is_authenticated else "an anonymous reader"


_BUS = "majlis_readers_bus"


class RedisBus:
    """Re-check requests between the processes of one site, on a Redis channel of its own."""

    def __init__(self, app, url: str, channel: str):
        import redis

        self.app = app
        self.redis = redis.Redis.from_url(url)
        self.channel = f"{channel}:readers-changed"
        self.server = uuid.uuid4().hex
        self.pubsub = None

    def publish(self, payload: dict) -> None:
        self.redis.publish(self.channel, json.dumps({**payload, "from": self.server}))

    def listen(self) -> None:
        """Subscribe now (before this process's first socket joins anything), then serve in the background."""
        if self.pubsub is not None:
            return
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.pubsub.subscribe(self.channel)
        socketio.start_background_task(self._serve)

    def _serve(self) -> None:
        while True:
            try:
                message = self.pubsub.get_message(timeout=1.0)
                if message is None:
                    socketio.sleep(0)
                    continue
                payload = json.loads(message["data"])
                if payload.pop("from", None) == self.server:
                    continue  # this process re-checked its sockets when it committed
                with self.app.app_context():
                    recheck_local(payload)
            except Exception:
                logger.exception("Re-checking readers failed")
                socketio.sleep(1)


def start(app) -> None:
    """Called at each connect: make sure this process hears other processes' re-check requests."""
    bus = app.extensions.get(_BUS)
    if bus is not None:
        bus.listen()


def register(app) -> None:
    """Connect the signal and the after-commit handler; with a Redis message queue, set up the bus."""
    signals.readers_changed.connect(on_readers_changed, weak=False)
    after_commit.register(RECHECK_KIND, _after_commit)
    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
    if queue.startswith(("redis://", "rediss://")):
        app.extensions[_BUS] = RedisBus(app, queue, app.config.get("SOCKETIO_CHANNEL", "majlis"))
