"""Presence and typing behave the same in process memory and in Redis; Redis shares them between processes."""

import uuid

import pytest

from app.realtime import presence
from tests.scaleout.services import REDIS_URL, require_redis

ROOM = "thread:1"


def redis_store(prefix: str) -> presence.RedisPresence:
    return presence.RedisPresence(REDIS_URL, prefix=prefix, heartbeat=False)


@pytest.fixture
def prefix():
    """A key prefix of this test's own, removed afterwards."""
    name = f"majlis-test:{uuid.uuid4().hex}:"
    yield name
    client = redis_store(name).redis
    keys = list(client.scan_iter(match=name + "*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(params=["memory", "redis"])
def store(request, prefix):
    if request.param == "memory":
        return presence.MemoryPresence()
    require_redis()
    return redis_store(prefix)


def test_readers_count_once_per_visible_person(store):
    store.enter(ROOM, "sid-1", "u1", True)
    store.enter(ROOM, "sid-2", "u1", True)  # the same person in a second tab
    store.enter(ROOM, "sid-3", "u2", False)  # opted out of presence
    store.enter(ROOM, "sid-4", "a-sid-4", False)  # anonymous
    assert store.counts(ROOM) == {"reading": 1, "replying": 0}
    assert store.rooms_of("sid-1") == [ROOM]
    store.leave(ROOM, "sid-1")
    assert store.counts(ROOM)["reading"] == 1
    store.leave(ROOM, "sid-2")
    assert store.counts(ROOM)["reading"] == 0 and store.rooms_of("sid-2") == []


def test_typing_counts_visible_readers_until_stopped_or_stale(store, monkeypatch):
    store.enter(ROOM, "sid-1", "u1", True)
    store.enter(ROOM, "sid-2", "u2", True)
    store.typing(ROOM, "u1")
    store.typing(ROOM, "u9")  # not a reader of this room
    assert store.counts(ROOM) == {"reading": 2, "replying": 1}
    store.stopped_typing(ROOM, "u1")
    assert store.counts(ROOM)["replying"] == 0
    store.typing(ROOM, "u2")
    monkeypatch.setattr(presence, "TYPING_TTL", -1.0)  # everything typed so far is stale
    assert store.counts(ROOM)["replying"] == 0


def test_leaving_clears_the_readers_typing(store):
    store.enter(ROOM, "sid-1", "u1", True)
    store.typing(ROOM, "u1")
    store.leave(ROOM, "sid-1")
    store.enter(ROOM, "sid-5", "u1", True)
    assert store.counts(ROOM) == {"reading": 1, "replying": 0}


def test_redis_presence_is_shared_by_processes(prefix):
    require_redis()
    first, second = redis_store(prefix), redis_store(prefix)
    first.enter(ROOM, "sid-a", "u1", True)
    second.enter(ROOM, "sid-b", "u2", True)
    second.typing(ROOM, "u1")
    assert first.counts(ROOM) == second.counts(ROOM) == {"reading": 2, "replying": 1}
    assert second.rooms_of("sid-a") == [ROOM]


def test_readers_of_a_dead_process_stop_counting(prefix):
    require_redis()
    alive, dead = redis_store(prefix), redis_store(prefix)
    alive.enter(ROOM, "sid-a", "u1", True)
    dead.enter(ROOM, "sid-b", "u2", True)
    assert alive.counts(ROOM)["reading"] == 2
    alive.redis.delete(prefix + f"alive:{dead.server}")  # its heartbeat expired
    assert alive.counts(ROOM)["reading"] == 1
    assert alive.redis.hlen(prefix + f"room:{ROOM}") == 1


def test_configure_picks_redis_only_with_a_redis_queue(app, prefix):
    previous = presence.store()
    try:
        app.config.update(SOCKETIO_MESSAGE_QUEUE=REDIS_URL, PRESENCE_KEY_PREFIX=prefix)
        presence.configure(app)
        assert isinstance(presence.store(), presence.RedisPresence)
        app.config["SOCKETIO_MESSAGE_QUEUE"] = None
        presence.configure(app)
        assert isinstance(presence.store(), presence.MemoryPresence)
    finally:
        presence.set_store(previous)
