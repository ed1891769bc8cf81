"""Who is reading and who is replying in a thread.

The store is an interface so that the scale-out deployment can keep presence in Redis; the embedded
default keeps it in this process, which is the only process there.
"""

import threading
import time

TYPING_TTL = 6.0


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


_store = MemoryPresence()


def store():
    return _store


def set_store(new_store) -> None:
    global _store
    _store = new_store
