"""Many people replying at once: N writers for T seconds against a real server process.

Each writer is a signed-in person posting replies as fast as the server answers, spread over a few
threads. Prints replies acknowledged and failed, replies/s, p50/p99/max latency, and checks that every
acknowledged reply is stored (the thread's post count) and reachable through the thread's pages.

    .venv/bin/python bench/write_contention.py [--writers 20] [--seconds 60] [--threads 2]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

Without --database-url the server uses the embedded default (a SQLite file). With a PostgreSQL URL
a fresh database is created on that server for the run and dropped after it.
"""

import argparse
import os
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import sqlalchemy
from _common import summary_ms

from tests.support.live import live_server
from tests.support.writers import SERVER_ENV, contend, unreachable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--threads", type=int, default=2, help="threads the writers reply to")
    parser.add_argument("--database-url", default="", help="a PostgreSQL URL (default: SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        env = dict(SERVER_ENV)
        if args.database_url.startswith("postgres"):
            from tests.scaleout.services import fresh_postgres_database

            os.environ["TEST_DATABASE_URL"] = args.database_url  # where the fresh database is made
            env["DATABASE_URL"] = stack.enter_context(fresh_postgres_database())
            engine = "PostgreSQL"
        else:
            engine = "SQLite"
        server = stack.enter_context(live_server(Path(tmp), **env))
        print(f"{args.writers} writers for {args.seconds:.0f} s on {engine}, {args.threads} threads")
        result, thread_ids = contend(server.url, args.writers, args.seconds, args.threads)
        missing = unreachable(server.url, result, thread_ids)
        counted = _posts_counted(server.env["DATABASE_URL"], thread_ids)
        p50, _p95, p99 = summary_ms(result.latencies)
        print(f"   acknowledged {len(result.acknowledged)}, failed {len(result.failures)}", end="")
        print(f" ({', '.join(sorted(set(result.failures)))})" if result.failures else "")
        print(f"   {len(result.acknowledged) / result.elapsed:.1f} replies/s over {result.elapsed:.0f} s")
        print(f"   latency p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {max(result.latencies) * 1000:.0f} ms")
        print(
            f"   posts counted by the threads {counted} (replies acknowledged + openings {len(thread_ids)})"
        )
        print(f"   acknowledged replies unreachable through the pages: {len(missing)}")
        retries = server.log().count("trying once more")
        print(f"   replies retried once after SQLite stayed locked: {retries}")
        ok = not result.failures and not missing and counted == len(result.acknowledged) + len(thread_ids)
        return 0 if ok else 1


def _posts_counted(database_url: str, thread_ids: list[int]) -> int:
    """The sum of the threads' post counts, read from the server's database."""
    engine = sqlalchemy.create_engine(database_url, poolclass=sqlalchemy.pool.NullPool)
    try:
        with engine.connect() as connection:
            statement = sqlalchemy.text("SELECT post_count FROM threads WHERE id IN :ids").bindparams(
                sqlalchemy.bindparam("ids", expanding=True)
            )
            return sum(connection.execute(statement, {"ids": thread_ids}).scalars())
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
