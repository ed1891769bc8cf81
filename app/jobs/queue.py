"""Deferred jobs: written in the change's transaction, run after it commits (DESIGN.md §2).

`enqueue(kind, **payload)` adds a `Job` row to the current transaction; a rollback leaves none. A
runner claims due jobs one at a time and runs the handler registered for the kind in a transaction
of its own that also deletes the row: the work and its removal commit together, so a crash before
that commit runs the job again (handlers are idempotent) and one after it never does. A handler
that raises is retried with growing delays (`JOBS_MAX_ATTEMPTS`), then kept as failed for
`flask jobs status` and `flask jobs retry`.

Per `JOBS_RUNNER`, one of:
- "background" (embedded default): a daemon thread in the web process, woken after each commit
  that enqueued, polling every second for retries;
- "inline" (tests): the jobs run right after the commit, in the same thread;
- "worker": nothing in process; `flask jobs worker` processes run them. On PostgreSQL several run at
  once, each claiming with `FOR UPDATE SKIP LOCKED`; on SQLite writes take turns anyway.
"""

import json
import logging
from collections.abc import Callable
from datetime import timedelta

from flask import Flask, current_app

from app.core import after_commit
from app.core.background import WakeableLoop
from app.core.database import writing
from app.core.time import utcnow
from app.extensions import db
from app.jobs.models import Job

logger = logging.getLogger(__name__)

WAKE_KIND = "jobs-wake"
_handlers: dict[str, Callable] = {}
_max_attempts: dict[str, int] = {}
_give_up_handlers: dict[str, Callable] = {}


def register(kind: str, handler: Callable, *, max_attempts: int | None = None, gave_up=None) -> None:
    """`handler(**payload)` does the job's work with `db.session` and never commits.

    `max_attempts` overrides JOBS_MAX_ATTEMPTS for this kind (mail waits out an hour-long SMTP
    outage); `gave_up(error, **payload)` runs in the transaction that marks the job failed."""
    _handlers[kind] = handler
    if max_attempts is not None:
        _max_attempts[kind] = max_attempts
    if gave_up is not None:
        _give_up_handlers[kind] = gave_up


def enqueue(kind: str, delay: float = 0, **payload) -> None:
    """Run `kind` with `payload` (JSON-safe) once the current transaction commits (`delay` seconds later)."""
    if kind not in _handlers:
        raise ValueError(f"unknown job kind {kind!r}: register it with app.jobs.register")
    run_at = utcnow() + timedelta(seconds=delay)
    db.session.add(Job(kind=kind, payload_json=json.dumps(payload, ensure_ascii=False), run_at=run_at))
    if not any(queued == WAKE_KIND for queued, _ in after_commit.pending()):
        after_commit.queue(WAKE_KIND, {})


def _after_commit(_payload: dict) -> None:
    runner = current_app.extensions.get("majlis_jobs")
    if runner is None:
        return
    if runner.mode == "inline":
        runner.run_due()
    elif runner.mode == "background":
        runner.start_background()
        runner.wake()


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(2**attempts, 3600))


class JobRunner(WakeableLoop):
    """Claims due jobs and runs them, each in a transaction of its own; as a loop (`start_background`,
    `run_forever`, `wake`, `stop`), in a daemon thread or `flask jobs worker`."""

    def __init__(self, app: Flask, mode: str):
        super().__init__("jobs", self.run_due)
        self.app = app
        self.mode = mode

    def run_due(self, limit: int | None = None) -> int:
        """Run due jobs until none is left (or `limit` ran); returns how many were tried."""
        tried = 0
        while limit is None or tried < limit:
            if not self.run_one():
                return tried
            tried += 1
        return tried

    def run_one(self) -> bool:
        """Claim one due job and run it; False when none is due."""
        with self.app.app_context(), self.app.test_request_context("/"):
            try:
                return self._run_claimed()
            finally:
                db.session.remove()

    def _run_claimed(self) -> bool:
        with writing():  # SQLite: the write lock from the claim on, so no two runners take one job
            job = _claim()
            if job is None:
                db.session.rollback()
                return False
            kind, payload, job_id = job.kind, job.payload, job.id
            try:
                _handlers[kind](**payload)
                db.session.delete(job)
                db.session.commit()
                return True
            except Exception as error:  # the job's work is rolled back; the job waits and is tried again
                db.session.rollback()
                logger.exception("Job %s (%s) failed", job_id, kind)
                _record_failure(job_id, error)
                return True


def _claim() -> Job | None:
    """The oldest due job no other runner holds (PostgreSQL skips rows locked by another runner)."""
    return db.session.execute(
        db.select(Job)
        .where(Job.failed_at.is_(None), Job.run_at <= utcnow())
        .order_by(Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).scalar_one_or_none()


def _record_failure(job_id: int, error: Exception) -> None:
    with writing():
        job = db.session.get(Job, job_id)
        if job is None:
            return
        job.attempts += 1
        job.last_error = f"{type(error).__name__}: {error}"[:2000]
        if job.attempts >= _max_attempts.get(job.kind, current_app.config["JOBS_MAX_ATTEMPTS"]):
            job.failed_at = utcnow()
            if job.kind in _give_up_handlers:
                _give_up_handlers[job.kind](job.last_error, **job.payload)
        else:
            job.run_at = utcnow() + _retry_delay(job.attempts)
        db.session.commit()


def backlog() -> list[tuple[str, int, int, object]]:
    """Per kind: jobs waiting, jobs failed, and when the oldest waiting one was written."""
    rows = db.session.execute(
        db.select(
            Job.kind,
            db.func.count(Job.id).filter(Job.failed_at.is_(None)),
            db.func.count(Job.id).filter(Job.failed_at.is_not(None)),
            db.func.min(Job.created_at).filter(Job.failed_at.is_(None)),
        )
        .group_by(Job.kind)
        .order_by(Job.kind)
    ).all()
    return [tuple(row) for row in rows]


def failed_jobs(limit: int = 20) -> list[Job]:
    return list(
        db.session.execute(
            db.select(Job).where(Job.failed_at.is_not(None)).order_by(Job.id.desc()).limit(limit)
        ).scalars()
    )


def retry_failed() -> int:
    """Put every failed job back in line, its attempts counted afresh."""
    return db.session.execute(
        db.update(Job).where(Job.failed_at.is_not(None)).values(failed_at=None, attempts=0, run_at=utcnow())
    ).rowcount
