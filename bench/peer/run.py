"""Majlis next to FlaskBB 2.2.0: the same data set, the same scenarios, served the same way, one table.

    .venv/bin/python bench/peer/run.py [--seconds 6] [--rounds 2] [--only majlis,flaskbb,majlis-pg]

Installs FlaskBB into PEER_HOME (default /work/peer-home) and seeds the three deployments the first
time (cached by data-set version), then serves each with gunicorn, 2 sync workers, on 127.0.0.1 and
runs every scenario at 1 and 4 concurrent connections for --seconds, round after round, the apps
alternating within each round. Figures pool the rounds. See bench/peer/README.md.
"""

import argparse
import os
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository: tests.support.live

import dataset  # noqa: E402
import servers  # noqa: E402
from _common import percentile  # noqa: E402
from scenarios import SCENARIOS, Expectations, Visit  # noqa: E402

APPS = ["majlis", "flaskbb", "majlis-pg"]
LABELS = {"majlis": "Majlis", "flaskbb": "FlaskBB", "majlis-pg": "Majlis-PG"}
CONNECTIONS = (1, 4)


class Cell:
    """Latencies of the successful calls, errors and time spent, pooled over the rounds."""

    def __init__(self):
        self.latencies: list[float] = []
        self.errors = 0
        self.seconds = 0.0
        self.last_error = ""

    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else float("nan")

    def median_ms(self) -> float:
        return percentile(self.latencies, 0.5) * 1000

    def p95_ms(self) -> float:
        return percentile(self.latencies, 0.95) * 1000


def measure(visits: list[Visit], seconds: float, cell: Cell) -> None:
    lock, stop = threading.Lock(), threading.Event()

    def loop(visit: Visit) -> None:
        while not stop.is_set():
            ok = visit.call()
            with lock:
                if ok:
                    cell.latencies.append(visit.elapsed)
                else:
                    cell.errors += 1
                    cell.last_error = visit.last_error

    workers = [threading.Thread(target=loop, args=(visit,)) for visit in visits]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    cell.seconds += time.perf_counter() - began


def prepare_visits(deployed, expect, scenarios) -> dict:
    """Signed-in sessions and tokens for every app, scenario and connection slot, made once, untimed."""
    visits = {}
    for app, server in deployed.items():
        for scenario in scenarios:
            visits[app, scenario] = [
                Visit(app, server.url, server.ids, expect, scenario, slot).prepare()
                for slot in range(max(CONNECTIONS))
            ]
            if not visits[app, scenario][0].call():  # warm-up, and a check that the scenario works at all
                raise RuntimeError(f"{app} {scenario}: {visits[app, scenario][0].last_error}")
    return visits


def run_rounds(apps, visits, scenarios, rounds: int, seconds: float) -> dict:
    cells = defaultdict(Cell)
    for number in range(1, rounds + 1):
        started = time.perf_counter()
        for app in apps:
            for scenario in scenarios:
                for connections in CONNECTIONS:
                    measure(visits[app, scenario][:connections], seconds, cells[app, scenario, connections])
        print(f"round {number}/{rounds} done in {time.perf_counter() - started:.0f} s", flush=True)
    return cells


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}" if b and a == a and b == b else "-"


def print_table(apps, cells, scenarios) -> None:
    head = f"{'scenario':<19}{'conn':>4}"
    for app in apps:
        head += f" | {LABELS[app] + ' med':>14}{'p95':>9}{'req/s':>7}"
    if "flaskbb" in apps:
        head += f" | {'M/F req/s':>9}" + (f"{'PG/F':>8}" if "majlis-pg" in apps else "") + f"{'F/M med':>8}"
    head += f" | {'M÷sign-in':>9} | errors"
    print(head)
    print("-" * len(head))
    for scenario in scenarios:
        for connections in CONNECTIONS:
            row = f"{scenario:<19}{connections:>4}"
            for app in apps:
                cell = cells[app, scenario, connections]
                row += f" | {cell.median_ms():>14.1f}{cell.p95_ms():>9.1f}{cell.rate():>7.1f}"
            majlis = cells["majlis", scenario, connections] if "majlis" in apps else None
            if "flaskbb" in apps and majlis is not None:
                flaskbb = cells["flaskbb", scenario, connections]
                row += f" | {ratio(majlis.rate(), flaskbb.rate()):>9}"
                if "majlis-pg" in apps:
                    row += f"{ratio(cells['majlis-pg', scenario, connections].rate(), flaskbb.rate()):>8}"
                row += f"{ratio(flaskbb.median_ms(), majlis.median_ms()):>8}"
            if majlis is not None:
                row += f" | {ratio(majlis.rate(), cells['majlis', 'sign-in page', connections].rate()):>9}"
            row += " | " + "/".join(str(cells[app, scenario, connections].errors) for app in apps)
            print(row)


def print_errors(apps, cells, deployed) -> None:
    for (app, scenario, connections), cell in sorted(cells.items()):
        if cell.errors:
            print(f"  {app} {scenario} x{connections}: {cell.errors} errors, last: {cell.last_error}")
    for app in apps:
        print(
            f"  {LABELS[app]} server logs: {deployed[app].problems()} tracebacks ({deployed[app].log.parent})"
        )


def print_storage() -> None:
    sizes = servers.storage()
    mb = 1024 * 1024
    (m_db, m_index), (f_db, f_index) = sizes["majlis"], sizes["flaskbb"]
    print(
        f"on disk after seeding (VACUUMed): Majlis SQLite {m_db / mb:.1f} MB + Whoosh {m_index / mb:.1f} MB "
        f"= {(m_db + m_index) / mb:.1f} MB; FlaskBB SQLite {f_db / mb:.1f} MB + Whoosh {f_index / mb:.1f} MB "
        f"= {(f_db + f_index) / mb:.1f} MB; ratio {(m_db + m_index) / (f_db + f_index):.2f} "
        f"(database {m_db / f_db:.2f}, index {m_index / f_index:.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("PEER_SECONDS", 6)))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("PEER_ROUNDS", 2)))
    parser.add_argument("--only", default=",".join(APPS), help="comma-separated subset of " + ",".join(APPS))
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help="comma-separated subset (the sign-in page always runs)",
    )
    args = parser.parse_args()
    apps = [app for app in APPS if app in args.only.split(",")]
    chosen = set(args.scenarios.split(",")) | {"sign-in page"}
    scenarios = [scenario for scenario in SCENARIOS if scenario in chosen]
    began = time.perf_counter()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with servers.deployments(apps) as (deployed, seeded):
        ready = time.perf_counter() - began
        for app in apps:
            print(
                f"{LABELS[app]}: {deployed[app].url}, seeding took {seeded[app]:.0f} s (cached under {servers.data_dir()})"
            )
        data = dataset.generate()
        print(
            f"data set v{dataset.VERSION}: {len(data.topics)} topics, {len(data.posts)} posts, {len(data.users)} members; "
            f"{dataset.RARE_WORD!r} in {dataset.RARE_POSTS} posts, {dataset.COMMON_WORD!r} in "
            f"{sum(dataset.COMMON_WORD in p.body for p in data.posts)}; thread: {len(data.topics[0].posts)} posts, 50 a page"
        )
        if {"majlis", "flaskbb"} <= set(apps):
            print_storage()
        visits = prepare_visits(deployed, Expectations(data), scenarios)
        print(
            f"ready after {ready:.0f} s; {args.rounds} rounds x {len(apps)} apps x {len(scenarios)} scenarios x "
            f"{len(CONNECTIONS)} connection counts x {args.seconds:g} s; gunicorn -w 2 sync for each app",
            flush=True,
        )
        cells = run_rounds(apps, visits, scenarios, args.rounds, args.seconds)
        print()
        print("median and p95 in ms; M/F = Majlis ÷ FlaskBB requests/s (PG/F: Majlis-PG); F/M med = FlaskBB ÷ "
              "Majlis median latency; M÷sign-in = Majlis requests/s ÷ its sign-in page's; errors per app")  # fmt: skip
        print_table(apps, cells, scenarios)
        print_errors(apps, cells, deployed)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"total {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
