"""Many people replying at once against a live server (tests/core/test_concurrent_writers.py and
bench/write_contention.py): what was acknowledged, what failed, how long each reply took, and whether
every acknowledged reply is stored and reachable through its thread's pages."""

import re
import threading
import time
from dataclasses import dataclass, field

import requests

from tests.support.http import Visitor

COMMUNITY = "c7-e-health"
# New accounts' abuse limits would hold or refuse the writers' posts; rate limits are off in live_server.
SERVER_ENV = {
    "NEW_USER_MAX_THREADS_PER_DAY": 1000,
    "NEW_USER_ACCEPTED_POSTS": 0,
    "DUPLICATE_POST_WINDOW_SECONDS": 0,
}
POST_ID = re.compile(r'<article class="post[^"]*" id="p(\d+)"')


@dataclass
class Contention:
    acknowledged: list[tuple[int, int]] = field(default_factory=list)  # (thread id, post id)
    failures: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, started: float, acknowledged=None, failure=None) -> None:
        with self.lock:
            self.latencies.append(time.perf_counter() - started)
            if acknowledged is not None:
                self.acknowledged.append(acknowledged)
            else:
                self.failures.append(failure)


def _reply(person: Visitor, thread_id: int, body: str, result: Contention) -> None:
    started = time.perf_counter()
    try:
        token = person.token(f"/t/{thread_id}")
        response = person.http.post(
            f"{person.base}/t/{thread_id}/reply",
            data={"csrf_token": token, "body": body},
            allow_redirects=False,
            timeout=60,
        )
    except requests.RequestException as error:
        result.record(started, failure=f"{type(error).__name__}")
        return
    match = re.search(r"#p(\d+)$", response.headers.get("Location", ""))
    if response.status_code == 302 and match:
        result.record(started, acknowledged=(thread_id, int(match.group(1))))
    else:
        result.record(started, failure=f"HTTP {response.status_code}")


def contend(url: str, writers: int, seconds: float, threads: int = 1) -> tuple[Contention, list[int]]:
    """`writers` signed-in people reply as fast as the server answers for `seconds`, spread over
    `threads` threads; returns what happened and the thread ids."""
    tag = f"{time.time_ns() % 10**9}"
    opener = Visitor(url).register(f"opener{tag}")
    thread_ids = [
        opener.new_thread(COMMUNITY, f"Contention thread {n}", f"Opening post {n}.") for n in range(threads)
    ]
    people = [Visitor(url).register(f"writer{tag}x{n}") for n in range(writers)]
    result, stop, start = Contention(), threading.Event(), threading.Barrier(writers + 1)

    def write(number: int, person: Visitor) -> None:
        start.wait()
        count = 0
        while not stop.is_set():
            count += 1
            thread_id = thread_ids[(number + count) % len(thread_ids)]
            _reply(person, thread_id, f"Reply {count} from writer {number} ({tag})", result)

    workers = [threading.Thread(target=write, args=(n, person)) for n, person in enumerate(people)]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    result.elapsed = time.perf_counter() - began
    return result, thread_ids


def posts_on_pages(url: str, thread_id: int) -> set[int]:
    """Every post id a visitor reaches by walking the thread's flat pages from the first to the last."""
    seen: set[int] = set()
    http = requests.Session()
    page = 1
    while True:
        response = http.get(f"{url}/t/{thread_id}", params={"view": "flat", "page": page}, timeout=60)
        response.raise_for_status()
        found = {int(n) for n in POST_ID.findall(response.text)}
        if not found or found <= seen:  # past the last page the server shows the last page again
            return seen
        seen |= found
        page += 1


def unreachable(url: str, result: Contention, thread_ids: list[int]) -> list[int]:
    """Acknowledged replies that no page of their thread shows."""
    shown = set().union(*(posts_on_pages(url, thread_id) for thread_id in thread_ids))
    return sorted(post_id for _thread, post_id in result.acknowledged if post_id not in shown)
