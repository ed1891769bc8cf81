"""Engine settings that every connection needs, and how SQLite takes its write lock."""

import logging
import sqlite3
import threading
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.extensions import db

logger = logging.getLogger(__name__)

# Ids are 32-bit integers on PostgreSQL: a larger number can name no row, and asking for it is an error.
MAX_ID = 2**31 - 1


def parse_id(value) -> int | None:
    """A row id typed or sent by a client (ASCII digits, within MAX_ID), or None.

    `str.isdigit()` alone is not enough: it accepts "²" (which `int()` refuses) and numbers beyond
    a PostgreSQL integer, which make the query itself fail.
    """
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 10 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def id_choice(value) -> int | None:
    """A form field's `coerce` for a choice that names a row: None when left empty, else its id.

    Anything else raises ValueError, which WTForms shows as an invalid choice, so a number beyond
    MAX_ID never reaches a query (`coerce=int` lets it through).
    """
    if value is None or value in ("", "None"):
        return None
    number = parse_id(value)
    if number is None:
        raise ValueError(f"not a row id: {value!r}")
    return number


MAX_PAGE = 1_000_000  # far past any real last page; a larger offset would overflow the query


def bounded_page(value) -> int:
    """A `?page=` value as a page number from 1 to MAX_PAGE (1 when it is not a number)."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    if len(text) > len(str(MAX_PAGE)):  # and int() of thousands of digits would refuse
        return MAX_PAGE
    return max(1, min(int(text), MAX_PAGE))


# How long a SQLite writer waits for another's commit before "database is locked" (then retried once).
SQLITE_BUSY_TIMEOUT_MS = 10_000
# How long a writer waits for its turn in this process's queue (a turn is a short write transaction,
# so only a turn never given back lasts this long).
WRITER_QUEUE_PATIENCE_S = 30
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_writing: ContextVar[bool] = ContextVar("majlis_writing", default=False)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL, a busy timeout and enforced foreign keys on every SQLite connection (DESIGN.md §1).

    pysqlite's own BEGIN is turned off (it runs reads outside any transaction and starts one only
    at the first write); `_sqlite_begin` starts every transaction instead."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class _WriterQueue:
    """The process's SQLite writers, served in arrival order.

    SQLite's busy handler polls with growing sleeps, so under many writers an unlucky one keeps
    missing its turn until the busy timeout (measured: 11% of replies failed at 20 writers, some after
    16 s). Queueing here first gives each its turn in order; other processes (CLI commands) still meet
    the busy timeout. Re-entrant for the thread whose turn it is. A writer whose turn has not come
    within WRITER_QUEUE_PATIENCE_S (a turn never given back) takes it: SQLite's own lock still holds.
    """

    def __init__(self):
        self._turn = threading.Condition()
        self._next_ticket = 0
        self._serving = 0
        self._owner = None
        self._depth = 0

    def enter(self) -> None:
        me = threading.get_ident()
        with self._turn:
            if self._owner == me:
                self._depth += 1
                return
            ticket = self._next_ticket
            self._next_ticket += 1
            mine = self._turn.wait_for(
                lambda: self._owner is None and self._serving >= ticket, WRITER_QUEUE_PATIENCE_S
            )
            if not mine:
                logger.warning(
                    "SQLite writer queue: turn %s not given back in time, taking turn %s",
                    self._serving,
                    ticket,
                )
                self._serving = max(self._serving, ticket)
            self._owner, self._depth = me, 1

    def leave(self) -> None:
        with self._turn:
            self._depth -= 1
            if self._depth > 0:
                return
            self._owner = None
            self._serving += 1
            self._turn.notify_all()


_writers = _WriterQueue()
_QUEUED = "majlis_writer_queued"


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    """A transaction that may write takes SQLite's write lock at its start (BEGIN IMMEDIATE), after
    its turn in the process's writer queue. A deferred transaction that reads and then writes fails
    at once, without waiting, when another writer committed in between; a page's reads take no lock."""
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection  # like the BEGIN a PostgreSQL driver sends itself
    if not _may_write():
        driver.execute("BEGIN")
        return
    _writers.enter()
    connection.info[_QUEUED] = True
    try:
        driver.execute("BEGIN IMMEDIATE")
    except Exception:
        _leave_queue(connection)
        raise


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _leave_queue(connection):
    if connection.info.pop(_QUEUED, False):
        _writers.leave()


def _may_write() -> bool:
    if _writing.get():
        return True
    if not has_request_context():  # CLI commands, jobs, tests: they are here to write
        return True
    # A write request's first transaction writes; what it reads after its commit (for the redirect) does not.
    return request.method not in SAFE_METHODS and not g.get("_majlis_committed", False)


@contextmanager
def writing():
    """Transactions begun inside take the write lock from their start (for code that reads first
    outside a write request, such as the indexer thread deleting the outbox rows it handled)."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


# Rows ANALYZE samples per index on SQLite: enough for the planner, a few milliseconds on a big file.
SQLITE_ANALYSIS_LIMIT = 400


def refresh_planner_statistics() -> None:
    """Give SQLite's query planner fresh table statistics (sampled `ANALYZE`, as SQLite advises for
    long-lived databases; PostgreSQL's autovacuum keeps its own).

    Without them SQLite guesses, and took a thread's community index over its activity index for
    a member's "New" lists: every thread's posts were asked for (10 ms at 2,000 threads) where the
    threads active in the unread window were enough. Run when the schema is prepared and by the
    periodic pass; it commits.
    """
    if db.engine.dialect.name != "sqlite":
        return
    with writing():
        db.session.execute(db.text(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}"))
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()


@event.listens_for(Session, "after_commit")
def _note_commit(session):
    if has_request_context():
        g._majlis_committed = True


def is_locked(error: Exception) -> bool:
    """SQLite gave up waiting for another writer ("database is locked")."""
    if isinstance(error, OperationalError):
        error = error.orig
    return isinstance(error, sqlite3.OperationalError) and "locked" in str(error).lower()


def retry_requests_when_locked(app: Flask) -> None:
    """Run a request again (its before-request hooks and view), from a clean transaction that takes
    the write lock at once, when SQLite stayed locked past the busy timeout; never after it committed.

    A request's first query may come from a before-request hook (the user loader, the merged-thread
    redirect), so the hooks are run inside the retried call: `full_dispatch_request` calls
    `preprocess_request` (now nothing) and then `dispatch_request` (now both, retried)."""
    preprocess, dispatch = app.preprocess_request, app.dispatch_request

    def attempt():
        early = preprocess()
        return early if early is not None else dispatch()

    def dispatch_retrying_once():
        try:
            return attempt()
        except (OperationalError, sqlite3.OperationalError) as error:
            if not is_locked(error) or g.get("_majlis_committed", False):
                raise
            logger.warning("Database locked on %s %s: trying once more", request.method, request.path)
        db.session.rollback()
        with writing():
            return attempt()

    app.preprocess_request = lambda: None
    app.dispatch_request = dispatch_retrying_once
