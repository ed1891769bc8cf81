"""Who is reading and who is replying in a thread.

The store is an interface: the embedded default keeps presence in this process, which is the only
process there; with a Redis message queue (several processes) it lives in Redis, so every process
counts the readers of all of them (`configure(app)` picks one at app creation).
"""

import json
import logging
import threading
import time
import uuid

TYPING_TTL = 6.0
HEARTBEAT_SECONDS = 10.0
SERVER_TTL = 30  # seconds without a heartbeat before a process's readers stop counting
KEY_TTL = 86400  # leftovers of a crashed process disappear after a day at most

logger = logging.getLogger(__name__)


class MemoryPresence:
    """Presence for one process: {room: {sid: (user_key, visible)}} and typing timestamps."""

    def __init__(self):
        self._lock = threading.Lock()
        self._readers: dict[str, dict[str, tuple[str, bool]]] = {}
        self._typing: dict[str, dict[str, float]] = {}

    def enter(self, room: str, sid: str, user_key: str, visible: bool) -> None:
        with self._lock:
            self._readers.setdefault(room, {})[sid] = (user_key, visible)

    def leave(self, room: str, sid: str) -> None:
        with self._lock:
            readers = self._readers.get(room, {})
            entry = readers.pop(sid, None)
            if not readers:
                self._readers.pop(room, None)
            if entry is not None:
                self._typing.get(room, {}).pop(entry[0], None)

    def rooms_of(self, sid: str) -> list[str]:
        with self._lock:
            return [room for room, readers in self._readers.items() if sid in readers]

    def typing(self, room: str, user_key: str) -> None:
        with self._lock:
            self._typing.setdefault(room, {})[user_key] = time.monotonic()

    def stopped_typing(self, room: str, user_key: str) -> None:
        with self._lock:
            self._typing.get(room, {}).pop(user_key, None)

    def is_reading(self, room: str, user_id: int) -> bool:
        """Has member `user_id` the room open now (shown to others or not)?"""
        with self._lock:
            return any(key == f"u{user_id}" for key, _shown in self._readers.get(room, {}).values())

    def counts(self, room: str) -> dict:
        """Distinct visible readers and people typing now."""
        now = time.monotonic()
        with self._lock:
            readers = self._readers.get(room, {})
            visible = {key for key, shown in readers.values() if shown}
            typing = self._typing.get(room, {})
            for key, since in list(typing.items()):
                if now - since > TYPING_TTL:
                    del typing[key]
            replying = len([key for key in typing if key in visible])
        return {"reading": len(visible), "replying": replying}


class RedisPresence:
    """Presence shared by every process through Redis.

    Keys (under `prefix`): `room:<room>` hash sid -> {"u": user key, "v": visible, "s": server id};
    `sid:<sid>` set of rooms; `typing:<room>` hash user key -> epoch seconds; `alive:<server>` a key
    each process refreshes every HEARTBEAT_SECONDS. Readers of a process whose heartbeat stopped
    (killed, crashed) are dropped at the next count, so its clients reconnecting elsewhere count once.
    """

    def __init__(self, url: str, prefix: str = "majlis:presence:", heartbeat: bool = True):
        import redis

        self.redis = redis.Redis.from_url(url, decode_responses=True)
        self.prefix = prefix
        self.server = uuid.uuid4().hex
        self._heartbeat = heartbeat
        self._heartbeat_started = False
        self._alive_at = 0.0

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    def _keep_alive(self) -> None:
        """Refresh this process's liveness key (at most every few seconds) and start the heartbeat."""
        now = time.monotonic()
        if now - self._alive_at > HEARTBEAT_SECONDS / 2:
            self.redis.set(self._key("alive", self.server), "1", ex=SERVER_TTL)
            self._alive_at = now
        if self._heartbeat and not self._heartbeat_started:
            self._heartbeat_started = True
            from app.extensions import socketio

            socketio.start_background_task(self._beat)

    def _beat(self) -> None:
        """Keep this process's readers counted while it is idle (runs for the life of the process)."""
        from app.extensions import socketio

        while True:
            socketio.sleep(HEARTBEAT_SECONDS)
            try:
                self.redis.set(self._key("alive", self.server), "1", ex=SERVER_TTL)
            except Exception:
                logger.exception("Presence heartbeat failed")

    def enter(self, room: str, sid: str, user_key: str, visible: bool) -> None:
        self._keep_alive()
        entry = json.dumps({"u": user_key, "v": visible, "s": self.server})
        pipe = self.redis.pipeline()
        pipe.hset(self._key("room", room), sid, entry)
        pipe.expire(self._key("room", room), KEY_TTL)
        pipe.sadd(self._key("sid", sid), room)
        pipe.expire(self._key("sid", sid), KEY_TTL)
        pipe.execute()

    def leave(self, room: str, sid: str) -> None:
        raw = self.redis.hget(self._key("room", room), sid)
        pipe = self.redis.pipeline()
        pipe.hdel(self._key("room", room), sid)
        pipe.srem(self._key("sid", sid), room)
        if raw is not None:
            pipe.hdel(self._key("typing", room), json.loads(raw)["u"])
        pipe.execute()

    def rooms_of(self, sid: str) -> list[str]:
        return sorted(self.redis.smembers(self._key("sid", sid)))

    def typing(self, room: str, user_key: str) -> None:
        pipe = self.redis.pipeline()
        pipe.hset(self._key("typing", room), user_key, repr(time.time()))
        pipe.expire(self._key("typing", room), int(TYPING_TTL * 2))
        pipe.execute()

    def stopped_typing(self, room: str, user_key: str) -> None:
        self.redis.hdel(self._key("typing", room), user_key)

    def is_reading(self, room: str, user_id: int) -> bool:
        """Has member `user_id` the room open now, in any live process?"""
        return any(entry["u"] == f"u{user_id}" for entry in self._live_readers(room).values())

    def counts(self, room: str) -> dict:
        """Distinct visible readers (of live processes) and people typing now."""
        self._keep_alive()
        readers = self._live_readers(room)
        visible = {entry["u"] for entry in readers.values() if entry["v"]}
        now = time.time()
        typing = self.redis.hgetall(self._key("typing", room))
        stale = [key for key, since in typing.items() if now - float(since) > TYPING_TTL]
        if stale:
            self.redis.hdel(self._key("typing", room), *stale)
        replying = len([key for key in typing if key not in stale and key in visible])
        return {"reading": len(visible), "replying": replying}

    def _live_readers(self, room: str) -> dict[str, dict]:
        """The room's entries whose process is alive; entries of dead processes are removed."""
        entries = {sid: json.loads(raw) for sid, raw in self.redis.hgetall(self._key("room", room)).items()}
        servers = sorted({entry["s"] for entry in entries.values()})
        alive_flags = self.redis.mget([self._key("alive", server) for server in servers]) if servers else []
        dead = {server for server, flag in zip(servers, alive_flags, strict=True) if flag is None}
        gone = [sid for sid, entry in entries.items() if entry["s"] in dead]
        if gone:
            self.redis.hdel(self._key("room", room), *gone)
        return {sid: entry for sid, entry in entries.items() if entry["s"] not in dead}


_store = MemoryPresence()


def store():
    return _store


def set_store(new_store) -> None:
    global _store
    _store = new_store


def configure(app) -> None:
    """Choose the store for this deployment: Redis with a redis:// message queue, else this process."""
    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
    if queue.startswith(("redis://", "rediss://")):
        set_store(RedisPresence(queue, prefix=app.config.get("PRESENCE_KEY_PREFIX", "majlis:presence:")))
    elif not isinstance(_store, MemoryPresence):
        set_store(MemoryPresence())
