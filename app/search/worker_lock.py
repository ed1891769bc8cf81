"""Exactly one `flask search worker` per database: a second one stands by until the first is gone.

On PostgreSQL the worker holds a session-level advisory lock on its own connection (released by
PostgreSQL when the process dies, however it dies); on SQLite an exclusive `flock` on a file in the
instance directory does the same on one machine.
"""

import fcntl
import logging
import time
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from app.extensions import db

logger = logging.getLogger(__name__)

LOCK_KEY = 0x4D414A4C  # "MAJL"; the second key is the schema, so schemas of one database do not collide


class WorkerRunning(Exception):
    """Another search worker holds the lock."""


class _PostgresLock:
    def __init__(self):
        self.connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")

    def acquire(self) -> bool:
        statement = text("SELECT pg_try_advisory_lock(:key, hashtext(current_schema()))")
        return bool(self.connection.execute(statement, {"key": LOCK_KEY}).scalar())

    def release(self) -> None:
        self.connection.close()  # closing the session releases its advisory locks


class _FileLock:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(path, "a")  # noqa: SIM115  (held for the worker's lifetime)

    def acquire(self) -> bool:
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def release(self) -> None:
        self.file.close()


def _lock():
    if db.engine.dialect.name == "postgresql":
        return _PostgresLock()
    return _FileLock(Path(current_app.config["INSTANCE_DIR"]) / "search-worker.lock")


@contextmanager
def sole_worker(wait: bool = True, poll: float = 2.0, on_standby=None):
    """Hold the worker lock for the block; while another worker holds it, stand by (or refuse)."""
    lock = _lock()
    try:
        while not lock.acquire():
            if not wait:
                raise WorkerRunning("another search worker is running")
            if on_standby is not None:
                on_standby()
                on_standby = None
            time.sleep(poll)
        logger.info("Search worker lock taken")
        yield
    finally:
        lock.release()
