"""Two real gunicorn gevent instances on PostgreSQL + Redis act as one site (DESIGN.md §1, §3).

Clients on both instances receive every event exactly once and in order; when one instance is
killed, its clients reconnect (through the proxy, as behind nginx) to the other and miss nothing;
the one search worker indexes every post, whichever instance took it.
"""

import time

import pytest
import requests
import socketio

from tests.scaleout.cluster import scaleout_cluster
from tests.scaleout.proxy import FailoverProxy
from tests.support.feed import RoomFeedClient
from tests.support.http import Visitor
from tests.support.pages import result_keys

pytestmark = pytest.mark.e2e


class CountingFeed(RoomFeedClient):
    """A feed client that also records every live frame as it arrived (to see duplicates)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.frames: list[int] = []
        self.connects = 0

    def _on_event(self, envelope):
        with self.lock:
            self.frames.append(envelope["seq"])
        super()._on_event(envelope)

    def _on_connect(self):
        self.connects += 1
        super()._on_connect()


def current_seq(url: str, thread_id: int) -> int:
    probe = socketio.Client()
    probe.connect(url, transports=["websocket"], wait_timeout=20)
    try:
        return probe.call("join", {"kind": "thread", "id": thread_id}, timeout=20)["seq"]
    finally:
        probe.disconnect()


def post_alternately(writers, thread_id: int, count: int, label: str) -> list[int]:
    return [writers[n % 2].reply(thread_id, f"zebrafish {label} {n}") for n in range(count)]


def readers_seen_by(watch_url: str, thread_id: int, readers: list[tuple[str, str]]) -> int:
    """Join the thread as each signed-in reader (url, cookie), each on its own instance; return the
    reader count that a watcher on `watch_url` is shown (Redis presence counts every instance's readers)."""
    counts: list[int] = []
    watcher = socketio.Client()
    watcher.on("presence", lambda data: counts.append(data["reading"]))
    watcher.connect(watch_url, transports=["websocket"], wait_timeout=20)
    watcher.call("join", {"kind": "thread", "id": thread_id}, timeout=20)
    clients = [watcher]
    for url, cookie in readers:
        client = socketio.Client()
        client.connect(url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=20)
        client.call("join", {"kind": "thread", "id": thread_id}, timeout=20)
        clients.append(client)
    wait_until(lambda: counts and counts[-1] == len(readers), timeout=20, step=0.2)
    for client in clients:
        client.disconnect()
    return counts[-1] if counts else 0


def search_keys(url: str, query: str) -> set[tuple[str, int]]:
    response = requests.get(f"{url}/search", params={"q": query}, timeout=20)
    response.raise_for_status()
    return set(result_keys(response.text))


def wait_until(predicate, timeout: float = 60.0, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def test_two_instances_deliver_everything_once_in_order_and_survive_a_kill(tmp_path):
    with scaleout_cluster(tmp_path) as cluster:
        a, b = cluster.servers
        via_a, via_b = FailoverProxy([a.port, b.port]), FailoverProxy([b.port, a.port])
        try:
            writers = [Visitor(via_a.url).register("writer_a"), Visitor(via_b.url).register("writer_b")]
            thread_id = writers[0].new_thread("c2", "Across instances", "Two instances, one room.")
            readers = [(a.url, writers[0].cookie_header()), (b.url, writers[1].cookie_header())]
            assert readers_seen_by(a.url, thread_id, readers) == 2  # one reader on each instance
            since = current_seq(via_a.url, thread_id)
            feeds = [
                CountingFeed(url, "thread", thread_id, since=since).connect()
                for url in (via_a.url, via_a.url, via_b.url, via_b.url)
            ]
            before = post_alternately(writers, thread_id, 6, "before")
            for feed in feeds:
                feed.wait_for(len(before), timeout=60)
                assert sorted(feed.frames) == feed.frames == list(range(since + 1, since + 7)), "live frames"

            cluster.kill(b.process)  # instance B dies with two clients on it
            after = post_alternately(writers, thread_id, 6, "after")
            posted = before + after
            for feed in feeds:
                applied = feed.wait_for(len(posted), timeout=90)
                assert [event["data"]["post_id"] for event in applied] == posted
                assert [event["seq"] for event in applied] == list(range(since + 1, since + 1 + len(posted)))
            assert [feed.connects for feed in feeds] == [1, 1, 2, 2]  # B's clients reconnected, to A

            expected = {("post", post_id) for post_id in posted}
            found = wait_until(lambda: expected <= search_keys(via_a.url, "zebrafish"))
            assert found, f"search misses {sorted(expected - search_keys(via_a.url, 'zebrafish'))}"
            for feed in feeds:
                feed.disconnect()
        finally:
            via_a.close()
            via_b.close()
