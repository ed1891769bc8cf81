"""Rendered HTML fragments kept between requests, under keys that name everything they depend on.

A key holds the version of what it renders (a post's edit time, its state, the page's language…), so
an entry is never invalidated: a change makes a new key and the old entry ages out. That is why the
same cache is right for one process and for many.

- In-process (default): a least-recently-used dictionary of `FRAGMENT_CACHE_ENTRIES` entries.
- `FRAGMENT_CACHE_URL=redis://…` (scale-out): the same dictionary in front of Redis, shared by the
  instances, entries expiring after `FRAGMENT_CACHE_TTL` seconds. Redis being away costs a render,
  never a page: its errors are logged and the fragment is rendered as if missing.
"""

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

from flask import Flask, current_app

logger = logging.getLogger(__name__)


class MemoryFragments:
    """A thread-safe LRU of `max_entries` strings."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Iterable[Hashable]) -> dict[Hashable, str]:
        found = {}
        with self._lock:
            for key in keys:
                value = self._entries.get(key)
                if value is not None:
                    self._entries.move_to_end(key)
                    found[key] = value
        return found

    def set_many(self, values: dict[Hashable, str]) -> None:
        if self.max_entries <= 0:
            return
        with self._lock:
            self._entries.update(values)
            for key in values:
                self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class RedisFragments:
    """Entries shared by every instance, behind this process's own LRU; keys are hashed for Redis."""

    def __init__(self, url: str, ttl: int, local: MemoryFragments, prefix: str = "majlis:fragment:"):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.ttl, self.local, self.prefix = ttl, local, prefix

    def _redis_key(self, key: Hashable) -> str:
        return self.prefix + hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()

    def get_many(self, keys: Iterable[Hashable]) -> dict[Hashable, str]:
        keys = list(keys)
        found = self.local.get_many(keys)
        missing = [key for key in keys if key not in found]
        if not missing:
            return found
        try:
            values = self.client.mget([self._redis_key(key) for key in missing])
        except Exception:  # redis.RedisError and socket errors: render instead
            logger.warning("Fragment cache: Redis unavailable, rendering instead", exc_info=True)
            return found
        shared = {
            key: value.decode() for key, value in zip(missing, values, strict=True) if value is not None
        }
        self.local.set_many(shared)
        return found | shared

    def set_many(self, values: dict[Hashable, str]) -> None:
        self.local.set_many(values)
        try:
            with self.client.pipeline(transaction=False) as pipe:
                for key, value in values.items():
                    pipe.set(self._redis_key(key), value.encode(), ex=self.ttl)
                pipe.execute()
        except Exception:
            logger.warning("Fragment cache: Redis unavailable, not shared", exc_info=True)

    def clear(self) -> None:
        self.local.clear()


def init_app(app: Flask) -> None:
    local = MemoryFragments(app.config.get("FRAGMENT_CACHE_ENTRIES", 5000))
    url = app.config.get("FRAGMENT_CACHE_URL")
    ttl, prefix = (
        app.config.get("FRAGMENT_CACHE_TTL", 86400),
        app.config.get("FRAGMENT_CACHE_PREFIX", "majlis:fragment:"),
    )
    cache = RedisFragments(url, ttl, local, prefix) if url else local
    app.extensions["fragments"] = cache


def cache():
    return current_app.extensions["fragments"]


def rendered(keys: list[Hashable], render: Callable[[Hashable], str]) -> dict[Hashable, str]:
    """Each key's fragment: from the cache, or `render(key)` for those missing (then kept)."""
    return rendered_together(keys, lambda missing: {key: render(key) for key in missing})


def rendered_together(
    keys: Iterable[Hashable], render_all: Callable[[list[Hashable]], dict[Hashable, str]]
) -> dict[Hashable, str]:
    """Like `rendered`, the missing fragments made by one call (that can share a query among them)."""
    keys = list(dict.fromkeys(keys))
    found = cache().get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        made = render_all(missing)
        cache().set_many(made)
        found |= made
    return found
