"""Live fan-out benchmark: one server process, N clients watching one thread, replies at a steady rate.

For the `threading` and `gevent` server modes in the same run, prints delivered/expected, the
post-to-receipt latency median and p99, and the server's CPU seconds per delivery.

    .venv/bin/python bench/live_fanout.py [--clients 200] [--rate 10] [--seconds 15]
"""

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

import socketio
from _common import summary_ms

from tests.support.http import Visitor
from tests.support.live import live_server

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Watcher:
    """A socket in the thread's room noting when each post_created event (by post id) first arrived.

    Events carry ids only (the page fetches the markup), so deliveries are matched by post id."""

    def __init__(self, url, thread_id, lock):
        self.arrivals = {}
        self.sio = socketio.Client(reconnection=False)

        def on_event(envelope):
            post_id = envelope["data"].get("post_id")
            if envelope["type"] == "post_created" and post_id is not None:
                with lock:
                    self.arrivals.setdefault(post_id, time.perf_counter())

        self.sio.on("room_event", on_event)
        self.sio.connect(url, transports=["websocket"], wait_timeout=30)
        ack = self.sio.call("join", {"kind": "thread", "id": thread_id}, timeout=30)
        assert ack["ok"], ack

    @property
    def received(self):
        return self.arrivals


def run_mode(mode: str, clients: int, rate: float, seconds: float):
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp), SOCKETIO_ASYNC_MODE=mode) as server:
        writer = Visitor(server.url).register("bench_writer")
        thread_id = writer.new_thread("c7-e-health", "Fan-out benchmark", "Watching this thread.")
        sent, lock = {}, threading.Lock()  # post id -> when its reply was sent
        watchers = [Watcher(server.url, thread_id, lock) for _ in range(clients)]
        cpu_before = cpu_seconds(server.process.pid)
        total = int(rate * seconds)
        start = time.perf_counter()
        for number in range(total):
            due = start + number / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            started = time.perf_counter()
            post_id = writer.reply(thread_id, f"fanout-{number}- steady reply")
            with lock:
                sent[post_id] = started
        deadline = time.perf_counter() + 10
        expected = total * clients
        while time.perf_counter() < deadline and sum(len(w.received) for w in watchers) < expected:
            time.sleep(0.2)
        cpu = cpu_seconds(server.process.pid) - cpu_before
        delivered = sum(len(w.received) for w in watchers)
        latencies = [
            at - sent[post_id] for w in watchers for post_id, at in w.arrivals.items() if post_id in sent
        ]
        # Close in parallel and bounded: a close handshake the busy server does not answer must not
        # hang the run (the server process is stopped right after anyway).
        closers = [threading.Thread(target=w.sio.disconnect, daemon=True) for w in watchers]
        for closer in closers:
            closer.start()
        for closer in closers:
            closer.join(timeout=5)
    median, _, p99 = summary_ms(latencies)
    return {"mode": mode, "delivered": delivered, "expected": expected, "median": median, "p99": p99,
            "cpu_per_delivery_ms": cpu / max(1, delivered) * 1000}  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--modes", default="threading,gevent")
    args = parser.parse_args()
    print(f"{args.clients} clients, {args.rate:g} replies/s for {args.seconds:g}s")
    print(f"{'mode':<11}{'delivered':>18}{'median ms':>11}{'p99 ms':>9}{'server CPU ms/delivery':>24}")
    results = [run_mode(mode, args.clients, args.rate, args.seconds) for mode in args.modes.split(",")]
    for r in results:
        share = f"{r['delivered']}/{r['expected']}"
        print(
            f"{r['mode']:<11}{share:>18}{r['median']:>11.1f}{r['p99']:>9.1f}{r['cpu_per_delivery_ms']:>24.3f}"
        )
    if len(results) == 2:
        print(f"CPU per delivery, {results[0]['mode']} / {results[1]['mode']}: "
              f"{results[0]['cpu_per_delivery_ms'] / max(1e-9, results[1]['cpu_per_delivery_ms']):.2f}×")  # fmt: skip


if __name__ == "__main__":
    main()
