"""deploy/nginx.conf in front of two real gunicorn gevent instances (PostgreSQL + Redis).

What the proxy must get right for Socket.IO: every long-polling request of one session reaches the
same instance (`ip_hash`), the WebSocket upgrade passes, a browser's Origin matches the Host the
instances see, and when an instance dies its clients land on the other and miss nothing.
"""

import socket
import threading
import time

import pytest
import requests
import socketio

from tests.scaleout.cluster import scaleout_cluster
from tests.scaleout.nginx import nginx_in_front
from tests.support.feed import RoomFeedClient
from tests.support.http import Visitor

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Two instances behind nginx; yields (cluster, nginx)."""
    tmp_dir = tmp_path_factory.mktemp("nginx-site")
    # As deploy/majlis.env.example: the instances believe nginx's X-Forwarded-For (ProxyFix).
    with scaleout_cluster(
        tmp_dir / "cluster", instances=2, search_worker=False, TRUSTED_PROXY_COUNT=1
    ) as cluster:
        with nginx_in_front(tmp_dir / "nginx", [server.port for server in cluster.servers]) as nginx:
            yield cluster, nginx


def wait_until_refused(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"127.0.0.1:{port} still accepts connections")


def test_pages_go_to_the_instances_and_static_files_come_from_nginx(site):
    cluster, nginx = site
    home = requests.get(nginx.url + "/", timeout=20)
    assert home.status_code == 200 and "Majlis" in home.text
    stylesheet = requests.get(nginx.url + "/static/css/majlis.css", timeout=20)
    assert stylesheet.status_code == 200 and "Expires" in stylesheet.headers  # nginx's `expires 1h`
    assert nginx.upstreams("/static/", at_least=1) == ["-"]  # no instance was asked
    assert nginx.upstreams("/ ", at_least=1)[0] in {f"127.0.0.1:{server.port}" for server in cluster.servers}


def test_long_polling_stays_on_one_instance_and_receives_live_events(site):
    cluster, nginx = site
    writer = Visitor(nginx.url).register("polling_writer")
    thread_id = writer.new_thread("c2", "Polling through nginx", "Every poll must reach one instance.")
    received = []
    arrived = threading.Event()
    client = socketio.Client()
    client.on("room_event", lambda envelope: (received.append(envelope), arrived.set()))
    # A browser sends its page's origin; the instances must see nginx's host and port to accept it.
    client.connect(nginx.url, headers={"Origin": nginx.url}, transports=["polling"], wait_timeout=20)
    try:
        assert client.call("join", {"kind": "thread", "id": thread_id}, timeout=20)["ok"]
        post_id = writer.reply(thread_id, "A reply for the polling reader")
        assert arrived.wait(20), "the polling client received no live event"
        assert received[0]["data"]["post_id"] == post_id
    finally:
        client.disconnect()
    polls = nginx.upstreams("/socket.io/", at_least=3)
    assert len(polls) >= 3 and len(set(polls)) == 1, polls


def test_websocket_clients_move_to_the_other_instance_and_miss_nothing(site):
    """Runs last in this module: it kills the instance nginx sends this client to."""
    cluster, nginx = site
    writer = Visitor(nginx.url).register("websocket_writer")
    thread_id = writer.new_thread("c2", "WebSocket through nginx", "The upgrade must pass the proxy.")
    # The WebSocket client sends its URL's origin itself, as a browser does.
    feed = RoomFeedClient(nginx.url, "thread", thread_id).connect()
    try:
        before = [writer.reply(thread_id, f"before the kill {n}") for n in range(3)]
        assert [event["data"]["post_id"] for event in feed.wait_for(3)] == before
        sticky = nginx.upstreams("/socket.io/", at_least=1)[-1]
        victim = next(server for server in cluster.servers if sticky.endswith(f":{server.port}"))
        cluster.kill(victim.process)
        # A request already sent to a dying instance gets 502: nginx must not replay a POST elsewhere.
        wait_until_refused(victim.port)

        after = [writer.reply(thread_id, f"after the kill {n}") for n in range(3)]
        applied = feed.wait_for(6, timeout=60)
        assert [event["data"]["post_id"] for event in applied] == before + after
        assert [event["seq"] for event in applied] == list(range(applied[0]["seq"], applied[0]["seq"] + 6))
    finally:
        feed.disconnect()
    # nginx logs a WebSocket when it closes: the one just closed went to the surviving instance.
    survivor = {f"127.0.0.1:{server.port}" for server in cluster.servers} - {sticky}
    deadline = time.monotonic() + 10
    while not survivor & set(nginx.upstreams("/socket.io/")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert survivor & set(nginx.upstreams("/socket.io/"))
