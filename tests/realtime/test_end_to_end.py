"""Real server processes and real python-socketio clients on 127.0.0.1."""

import socket
import uuid

import pytest
import socketio

from tests.support.feed import RoomFeedClient
from tests.support.http import Visitor
from tests.support.live import live_server, skip_or_fail

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("live")) as running:
        yield running


@pytest.fixture(scope="module")
def writer(server):
    return Visitor(server.url).register("writer")


def current_seq(server, thread_id):
    probe = socketio.Client()
    probe.connect(server.url, transports=["websocket"])
    try:
        return probe.call("join", {"kind": "thread", "id": thread_id}, timeout=10)["seq"]
    finally:
        probe.disconnect()


def test_reconnecting_client_gets_exactly_the_missed_replies(server, writer):
    thread_id = writer.new_thread(
        "c7-e-health", "Replay after reconnect", "Does replay work after a reconnect?"
    )
    feed = RoomFeedClient(server.url, "thread", thread_id, since=current_seq(server, thread_id)).connect()
    first = writer.reply(thread_id, "before the disconnect")
    feed.wait_for(1)
    feed.disconnect()
    missed = [writer.reply(thread_id, f"missed {n}") for n in range(5)]
    feed.connect()
    applied = feed.wait_for(6)
    feed.disconnect()
    assert [e["data"]["post_id"] for e in applied] == [first, *missed]
    assert [e["seq"] for e in applied] == list(range(applied[0]["seq"], applied[0]["seq"] + 6))


def test_client_that_loses_frames_on_an_open_connection_fills_the_gap(server, writer):
    thread_id = writer.new_thread("c7-e-health", "Lost frames", "What if frames are lost on the way?")
    feed = RoomFeedClient(
        server.url, "thread", thread_id, since=current_seq(server, thread_id), drop_next=3
    ).connect()
    posted = [writer.reply(thread_id, f"reply {n}") for n in range(3)]
    assert feed.wait_for(1, timeout=1.0) == []  # three frames were lost: nothing applied yet
    posted.append(writer.reply(thread_id, "the fourth"))
    applied = feed.wait_for(4)
    feed.disconnect()
    assert [e["data"]["post_id"] for e in applied] == posted
    assert len({e["seq"] for e in applied}) == 4


@pytest.mark.parametrize("transport", ["polling", "websocket"])
def test_foreign_origin_handshake_is_refused(server, transport):
    client = socketio.Client()
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            server.url, headers={"Origin": "http://evil.example"}, transports=[transport], wait_timeout=5
        )
    same = socketio.Client()  # the websocket client sends the server's own origin by itself
    headers = {"Origin": server.url} if transport == "polling" else {}
    same.connect(server.url, headers=headers, transports=[transport], wait_timeout=5)
    assert same.connected
    same.disconnect()


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_two_processes_linked_by_redis_act_as_one(tmp_path):
    if not redis_available():
        skip_or_fail("Redis is not reachable on 127.0.0.1:6379")
    shared = {
        "SOCKETIO_MESSAGE_QUEUE": "redis://127.0.0.1:6379/5",
        "SOCKETIO_CHANNEL": f"majlis-test-{uuid.uuid4().hex}",  # concurrent test runs share the Redis
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.db'}",
    }
    with live_server(tmp_path / "a", **shared) as a:
        with live_server(tmp_path / "b", AUTO_MIGRATE=0, **shared) as b:
            writer_b = Visitor(b.url).register("writer_b")
            thread_id = writer_b.new_thread("c2", "Across processes", "Two processes, one room.")
            feed = RoomFeedClient(a.url, "thread", thread_id, since=current_seq(a, thread_id)).connect()
            posted = [writer_b.reply(thread_id, f"via B {n}") for n in range(3)]
            applied = feed.wait_for(3)
            feed.disconnect()
    assert [e["data"]["post_id"] for e in applied] == posted
