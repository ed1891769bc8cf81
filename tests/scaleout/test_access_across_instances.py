"""Access that ends on one instance ends on every instance: a thread hidden through instance A takes
its readers connected to instance B out of the room (Redis message queue, two gunicorn processes)."""

import threading
import time

import pytest
import socketio

from tests.scaleout.cluster import scaleout_cluster
from tests.support.http import Visitor

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"


class Reader:
    """A socket on one instance, in one thread's room, recording what reaches it."""

    def __init__(self, url: str, thread_id: int, cookie: str | None = None):
        self.frames: list[dict] = []
        self.ended: list[str] = []
        self.arrived = threading.Event()
        self.sio = socketio.Client()
        self.sio.on("room_event", self._frame)
        self.sio.on("access_ended", lambda data: (self.ended.append(data["room"]), self.arrived.set()))
        headers = {"Cookie": cookie} if cookie else {}
        self.sio.connect(url, headers=headers, transports=["websocket"], wait_timeout=20)
        assert self.sio.call("join", {"kind": "thread", "id": thread_id}, timeout=20)["ok"]

    def _frame(self, envelope):
        self.frames.append(envelope)
        self.arrived.set()

    def changes(self) -> list[str]:
        return [frame["data"].get("change") for frame in self.frames if frame["type"] == "thread_changed"]


def sign_in(url: str, username: str) -> Visitor:
    visitor = Visitor(url)
    response = visitor.http.post(
        f"{url}/auth/login",
        data={"csrf_token": visitor.token("/auth/login"), "username": username, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:300]
    visitor._token = None
    return visitor


def moderate(visitor: Visitor, thread_id: int, action: str, data: dict) -> None:
    token = visitor.token(f"/moderation/t/{thread_id}")
    response = visitor.http.post(
        f"{visitor.base}/moderation/t/{thread_id}/{action}",
        data={"csrf_token": token, **data},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:300]


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.1)
    return predicate()


def test_hiding_a_thread_on_one_instance_takes_readers_on_the_other_out(tmp_path):
    with scaleout_cluster(tmp_path, instances=2, search_worker=False) as cluster:
        a, b = cluster.servers
        writer = Visitor(a.url).register("writer")
        thread_id = writer.new_thread("c2", "Soon hidden", "A thread a moderator will hide.")
        cluster.flask("create-admin", "boss", "boss@example.org", "--password", PASSWORD)
        admin = sign_in(a.url, "boss")
        anonymous = Reader(b.url, thread_id)  # both sockets on instance B
        signed_in = Reader(b.url, thread_id, cookie=writer.cookie_header())
        watching_admin = Reader(b.url, thread_id, cookie=sign_in(b.url, "boss").cookie_header())
        readers = (anonymous, signed_in, watching_admin)
        try:
            moderate(admin, thread_id, "hide", {"hide-reason": "Off topic"})  # through instance A
            room = f"thread:{thread_id}"
            assert wait_for(lambda: anonymous.ended == [room] and signed_in.ended == [room])
            moderate(admin, thread_id, "lock", {"flag-reason": ""})
            assert wait_for(lambda: "lock" in watching_admin.changes())  # the room still works for moderators
            time.sleep(1.0)  # time enough for a leaked frame to cross Redis
            assert "lock" not in anonymous.changes() and "lock" not in signed_in.changes()
            assert watching_admin.ended == []
            assert anonymous.sio.connected and signed_in.sio.connected
        finally:
            for reader in readers:
                reader.sio.disconnect()
