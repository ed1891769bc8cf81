"""Mixed load against the embedded default and the scale-out deployment, in the same run.

Readers fetch the home page, a community page, thread pages and search results; writers post replies;
live clients watch the threads over Socket.IO. Everything runs on 127.0.0.1 and is bounded in time.
For each deployment prints requests/s, p50/p99 per endpoint, errors, and live delivery completeness
(events applied by the live clients / events published to their rooms; replay fills any gap).

    .venv/bin/python bench/load.py [--seconds 20] [--readers 8] [--writers 2] [--live 20] [--only embedded|scaleout]

The scale-out run needs PostgreSQL and Redis on 127.0.0.1 (2 gunicorn gevent instances via
deploy/instance.sh + one `flask search worker`); clients stick to an instance, as behind nginx ip_hash.
"""

import argparse
import random
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import requests
import socketio
from _common import summary_ms

from tests.scaleout.cluster import scaleout_cluster
from tests.support.feed import RoomFeedClient
from tests.support.http import Visitor
from tests.support.live import live_server

COMMUNITY = "c7-e-health"
# Abuse limits for new accounts would stop the seeding and writing accounts; rate limits are off anyway.
SERVER_ENV = {
    "NEW_USER_MAX_THREADS_PER_DAY": 1000,
    "NEW_USER_ACCEPTED_POSTS": 0,
    "DUPLICATE_POST_WINDOW_SECONDS": 0,
    "REQUIRE_EMAIL_CONFIRMATION": 0,
}
WORDS = ["telemedicine", "clinics", "bandwidth", "satellite", "nurses", "records", "privacy", "training"]


class Recorder:
    """Latencies and errors per endpoint, shared by every load thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = defaultdict(int)

    def timed(self, endpoint: str, call) -> None:
        started = time.perf_counter()
        try:
            ok = call()
        except (requests.RequestException, AssertionError):  # Visitor asserts the redirect after a post
            ok = False
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies[endpoint].append(elapsed)
            if not ok:
                self.errors[endpoint] += 1


def seed(urls: list[str], threads: int) -> list[int]:
    """A few threads with replies, written through the first instance."""
    writer = Visitor(urls[0]).register(f"seeder{random.randrange(10**6)}")
    ids = []
    for number in range(threads):
        words = " ".join(random.sample(WORDS, 4))
        thread_id = writer.new_thread(
            COMMUNITY, f"Load thread {number}: {words}", f"Opening post about {words}."
        )
        for reply in range(3):
            writer.reply(thread_id, f"Seed reply {reply} on {words} ({number})")
        ids.append(thread_id)
    return ids


def join_seq(url: str, thread_id: int) -> int:
    probe = socketio.Client()
    probe.connect(url, transports=["websocket"], wait_timeout=20)
    try:
        return probe.call("join", {"kind": "thread", "id": thread_id}, timeout=20)["seq"]
    finally:
        probe.disconnect()


def reader(url: str, thread_ids: list[int], recorder: Recorder, stop: threading.Event) -> None:
    http = requests.Session()
    pages = {
        "home": lambda: "/",
        "community": lambda: f"/c/{COMMUNITY}",
        "thread": lambda: f"/t/{random.choice(thread_ids)}",
        "search": lambda: f"/search?q={random.choice(WORDS)}",
    }
    while not stop.is_set():
        endpoint = random.choice(list(pages))
        path = pages[endpoint]()
        recorder.timed(endpoint, lambda path=path: http.get(url + path, timeout=30).status_code == 200)


def writer(url: str, thread_ids: list[int], recorder: Recorder, stop: threading.Event, pause: float) -> None:
    tag = random.randrange(10**9)
    person = Visitor(url).register(f"writer{tag}")
    number = 0
    while not stop.is_set():
        number += 1
        thread_id, body = (
            random.choice(thread_ids),
            f"Reply {number} by {tag}: {' '.join(random.sample(WORDS, 3))}",
        )
        recorder.timed("reply", lambda thread_id=thread_id, body=body: bool(person.reply(thread_id, body)))
        stop.wait(pause)


def run_load(urls: list[str], args) -> dict:
    """Readers, writers and live clients spread over `urls` (each sticks to one); returns the figures."""
    thread_ids = seed(urls, args.threads)
    feeds = []
    for n in range(args.live):
        url, thread_id = urls[n % len(urls)], thread_ids[n % len(thread_ids)]
        feeds.append(RoomFeedClient(url, "thread", thread_id, since=join_seq(url, thread_id)).connect())
    starts = [feed.last for feed in feeds]
    recorder, stop = Recorder(), threading.Event()
    workers = [
        threading.Thread(target=reader, args=(urls[n % len(urls)], thread_ids, recorder, stop))
        for n in range(args.readers)
    ] + [
        threading.Thread(target=writer, args=(urls[n % len(urls)], thread_ids, recorder, stop, args.pause))
        for n in range(args.writers)
    ]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(args.seconds)
    stop.set()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    expected, applied = live_totals(urls, feeds, starts)
    return {"recorder": recorder, "elapsed": elapsed, "expected": expected, "applied": applied}


def live_totals(urls, feeds, starts) -> tuple[int, int]:
    """Events published to each live client's room since it joined, and how many it applied."""
    final = {feed.id: join_seq(urls[0], feed.id) for feed in feeds}
    deadline = time.monotonic() + 30
    for feed, start in zip(feeds, starts, strict=True):
        feed.wait_for(final[feed.id] - start, timeout=max(0.1, deadline - time.monotonic()))
    expected = sum(final[feed.id] - start for feed, start in zip(feeds, starts, strict=True))
    applied = sum(len(feed.applied) for feed in feeds)
    for feed in feeds:
        feed.disconnect()
    return expected, applied


def report(name: str, figures: dict) -> None:
    recorder, elapsed = figures["recorder"], figures["elapsed"]
    total = sum(len(values) for values in recorder.latencies.values())
    errors = sum(recorder.errors.values())
    print(f"\n== {name}: {total / elapsed:.1f} requests/s over {elapsed:.0f} s, errors {errors}")
    print(f"   {'endpoint':<10} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for endpoint in ("home", "community", "thread", "search", "reply"):
        values = recorder.latencies.get(endpoint, [])
        if values:
            p50, _p95, p99 = summary_ms(values)
            print(
                f"   {endpoint:<10} {len(values):>8} {p50:>8.0f} {p99:>8.0f} {recorder.errors[endpoint]:>6}"
            )
    expected, applied = figures["expected"], figures["applied"]
    completeness = 100.0 * applied / expected if expected else 100.0
    print(f"   live delivery: {applied}/{expected} events applied ({completeness:.1f}%)")


@contextmanager
def embedded(tmp: Path):
    with live_server(tmp / "embedded", **SERVER_ENV) as server:
        yield [server.url]


@contextmanager
def scaleout(tmp: Path):
    with scaleout_cluster(tmp / "scaleout", instances=2, **SERVER_ENV) as cluster:
        yield [server.url for server in cluster.servers]


DEPLOYMENTS = [
    ("embedded", "embedded (SQLite, 1 threading process, Whoosh)", embedded),
    ("scaleout", "scale-out (PostgreSQL, Redis, 2 gevent instances, search worker)", scaleout),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between a writer's replies")
    parser.add_argument("--live", type=int, default=20)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--only", choices=["embedded", "scaleout"])
    args = parser.parse_args()
    print(
        f"{args.readers} readers, {args.writers} writers (a reply every {args.pause}s each), "
        f"{args.live} live clients, {args.seconds:.0f} s per deployment"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for key, name, deployment in DEPLOYMENTS:
            if args.only and args.only != key:
                continue
            with deployment(Path(tmp)) as urls:
                report(name, run_load(urls, args))


if __name__ == "__main__":
    main()
