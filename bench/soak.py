"""Memory soak: one server process (`python run.py`, the embedded default) under mixed load for
several minutes; its resident memory sampled every few seconds.

Prints the peak RSS and the growth between the end of the first minute (caches warm) and the end, per
minute of load, for the whole resident set and for its anonymous part (the heap: what a leak grows;
the rest is mapped files, the search index's among them, which grow with the data), and over the
second half alone: bounded caches (rendered posts, search postings) fill during the first minutes. Issue 15's targets: peak under 300 MB, no growth over a 10-minute soak.

    .venv/bin/python bench/soak.py [--minutes 10] [--readers 4] [--writers 2] [--live 20]
"""

import argparse
import tempfile
import threading
import time
from pathlib import Path

from load import SERVER_ENV, Recorder, join_seq, reader, seed, writer

from tests.support.feed import RoomFeedClient
from tests.support.live import live_server

SAMPLE_SECONDS = 5


def rss_mb(pid: int) -> tuple[float, float]:
    """The process's resident memory from /proc (Linux): (anonymous, file-backed) MB. File-backed
    pages are the mapped index files and libraries, which the kernel can drop and re-read; a leak
    shows as anonymous growth."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("RssAnon", "RssFile", "RssShmem"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["RssAnon"], fields["RssFile"] + fields.get("RssShmem", 0)


def soak(url: str, pid: int, args) -> tuple[list[tuple[float, float]], Recorder]:
    thread_ids = seed([url], 5)
    feeds = [
        RoomFeedClient(url, "thread", thread_ids[n % 5], since=join_seq(url, thread_ids[n % 5])).connect()
        for n in range(args.live)
    ]
    recorder, stop = Recorder(), threading.Event()
    workers = [
        threading.Thread(target=reader, args=(url, thread_ids, recorder, stop)) for _ in range(args.readers)
    ]
    workers += [
        threading.Thread(target=writer, args=(url, thread_ids, recorder, stop, 0.5))
        for _ in range(args.writers)
    ]
    for worker in workers:
        worker.start()
    samples, began = [], time.perf_counter()
    try:
        while (elapsed := time.perf_counter() - began) < args.minutes * 60:
            samples.append((elapsed, rss_mb(pid)))
            time.sleep(SAMPLE_SECONDS)
        samples.append((time.perf_counter() - began, rss_mb(pid)))
    finally:
        stop.set()
        for worker in workers:
            worker.join()
        for feed in feeds:
            feed.disconnect()
    return samples, recorder


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--live", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp), **SERVER_ENV) as server:
        samples, recorder = soak(server.url, server.process.pid, args)
    total = [(elapsed, anon + file) for elapsed, (anon, file) in samples]
    anonymous = [(elapsed, anon) for elapsed, (anon, _file) in samples]
    requests_made = sum(len(times) for times in recorder.latencies.values())
    errors = sum(recorder.errors.values())
    print(f"{args.minutes:g} min, {requests_made} requests ({errors} errors), {args.live} live clients")
    for label, series in (("RSS", total), ("anonymous", anonymous)):
        warm = next((mb for elapsed, mb in series if elapsed >= 60), series[0][1])
        end, peak = series[-1][1], max(mb for _, mb in series)
        minutes_after_warm = max((series[-1][0] - 60) / 60, 1 / 60)
        half_time = series[-1][0] / 2
        half = next(mb for elapsed, mb in series if elapsed >= half_time)
        print(
            f"{label}: start {series[0][1]:.0f} MB, after 1 min {warm:.0f} MB, end {end:.0f} MB, "
            f"peak {peak:.0f} MB, growth after the first minute {(end - warm) / minutes_after_warm:+.1f} MB/min, "
            f"over the second half {(end - half) / (half_time / 60):+.1f} MB/min"
        )


if __name__ == "__main__":
    main()
