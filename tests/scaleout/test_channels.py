"""Two sites on one Redis: each site's instances publish on their own channel (SOCKETIO_CHANNEL).

Both sites have a thread 1, so both have a room `thread:1`; sharing a channel would show one site's
replies to the other site's readers. The shared-channel case is kept as the control.
"""

import threading
import time
import uuid
from contextlib import ExitStack

import pytest
import socketio

from tests.scaleout.cluster import scaleout_cluster
from tests.support.http import Visitor

pytestmark = pytest.mark.e2e


def listen(url: str, thread_id: int) -> tuple[socketio.Client, list[dict], threading.Event]:
    frames: list[dict] = []
    arrived = threading.Event()
    client = socketio.Client()
    client.on("room_event", lambda envelope: (frames.append(envelope), arrived.set()))
    client.connect(url, transports=["websocket"], wait_timeout=20)
    assert client.call("join", {"kind": "thread", "id": thread_id}, timeout=20)["ok"]
    return client, frames, arrived


@pytest.mark.parametrize("shared", [False, True], ids=["own-channels", "shared-channel-control"])
def test_a_site_hears_only_its_own_instances(tmp_path, shared):
    run = uuid.uuid4().hex  # concurrent test runs share the Redis too
    channels = [f"shared-{run}"] * 2 if shared else [f"site-{n}-{run}" for n in range(2)]
    with ExitStack() as stack:
        sites = [
            stack.enter_context(
                scaleout_cluster(
                    tmp_path / f"site{n}", instances=1, search_worker=False, SOCKETIO_CHANNEL=channel
                )
            )
            for n, channel in enumerate(channels)
        ]
        writers = [Visitor(site.servers[0].url).register("writer") for site in sites]
        threads = [
            writer.new_thread("c2", "Same room name", "Thread one on each site.") for writer in writers
        ]
        assert threads[0] == threads[1]  # the same room name, `thread:<id>`, on both sites

        own, own_frames, own_arrived = listen(sites[0].servers[0].url, threads[0])
        other, other_frames, other_arrived = listen(sites[1].servers[0].url, threads[1])
        try:
            writers[0].reply(threads[0], "Meant for the first site only")
            assert own_arrived.wait(20), "the site's own reader got nothing"
            other_arrived.wait(3)  # time enough for a leaked frame to cross Redis
            time.sleep(0.5)
            assert len(own_frames) == 1
            assert len(other_frames) == (1 if shared else 0)
        finally:
            own.disconnect()
            other.disconnect()
