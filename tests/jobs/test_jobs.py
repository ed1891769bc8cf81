"""Deferred jobs: written with the change, run after its commit, never lost, never half done."""

import threading
from datetime import timedelta

import pytest

from app import jobs
from app.core.time import utcnow
from app.extensions import db
from app.jobs.models import Job
from app.notifications.models import Notification
from tests.support.database import is_postgres

CALLS = []


def _note(user_id, text):
    """A test job with an effect in the database, and a record of each run."""
    CALLS.append(text)
    db.session.add(Notification(user_id=user_id, kind="tests.note", url=text, data_json="{}"))
    db.session.flush()


def _note_then_fail(user_id, text):
    _note(user_id, text)
    raise RuntimeError("the mail server said no")


jobs.register("tests.note", _note)
jobs.register("tests.fail", _note_then_fail)


@pytest.fixture(autouse=True)
def _fresh_calls():
    CALLS.clear()


def _enqueue(app, kind, **payload):
    with app.app_context():
        jobs.enqueue(kind, **payload)
        db.session.commit()


def _rows(app, model):
    with app.app_context():
        return db.session.execute(db.select(model)).scalars().all()


def test_a_job_runs_once_after_the_commit_and_leaves_no_row(app, make):
    user = make.user()
    _enqueue(app, "tests.note", user_id=user.id, text="hello")  # inline in tests: run at commit
    assert CALLS == ["hello"]
    assert [n.url for n in _rows(app, Notification)] == ["hello"]
    assert _rows(app, Job) == []


def test_a_rolled_back_transaction_leaves_no_job(app, make):
    user = make.user()
    with app.app_context():
        jobs.enqueue("tests.note", user_id=user.id, text="never")
        db.session.rollback()
    assert _rows(app, Job) == [] and CALLS == []


def test_a_job_written_before_a_crash_runs_when_a_runner_starts_again(app, make):
    user = make.user()
    app.extensions["majlis_jobs"].mode = "worker"  # nothing runs in process: as if it died at commit
    _enqueue(app, "tests.note", user_id=user.id, text="after the crash")
    assert CALLS == [] and len(_rows(app, Job)) == 1
    from app.jobs.queue import JobRunner

    assert JobRunner(app, "worker").run_due() == 1  # a new process
    assert CALLS == ["after the crash"] and _rows(app, Job) == []


def test_a_failing_job_keeps_none_of_its_work_is_retried_then_kept_as_failed(app, make):
    user = make.user()
    runner = app.extensions["majlis_jobs"]
    runner.mode = "worker"
    _enqueue(app, "tests.fail", user_id=user.id, text="half done")
    for attempt in range(1, app.config["JOBS_MAX_ATTEMPTS"] + 1):
        assert runner.run_due() == 1
        (job,) = _rows(app, Job)
        assert job.attempts == attempt and "the mail server said no" in job.last_error
        assert _rows(app, Notification) == []  # the failed run's work was rolled back
        with app.app_context():  # the next try is due later; move it to now
            db.session.execute(db.update(Job).values(run_at=utcnow() - timedelta(seconds=1)))
            db.session.commit()
    assert job.failed_at is not None
    assert runner.run_due() == 0  # given up: not tried again

    status = app.test_cli_runner().invoke(args=["jobs", "status"]).output
    assert "tests.fail: 0 waiting, 1 failed" in status
    assert "RuntimeError: the mail server said no" in status
    assert "1 failed jobs put back" in app.test_cli_runner().invoke(args=["jobs", "retry"]).output
    (job,) = _rows(app, Job)
    assert job.failed_at is None and job.attempts == 0


def test_an_unknown_kind_is_refused_when_enqueued(app):
    with app.app_context(), pytest.raises(ValueError, match="unknown job kind"):
        jobs.enqueue("tests.nobody-handles-this")


def _blocking_note(user_id, text):
    BARRIER.wait()  # both runners inside a job at once, or this times out and the job fails
    _note(user_id, text)


BARRIER = threading.Barrier(2, timeout=20)
jobs.register("tests.blocking", _blocking_note)


@pytest.mark.skipif(not is_postgres(), reason="several runners at once need PostgreSQL (SKIP LOCKED)")
def test_two_runners_take_different_jobs_at_the_same_time(app, make):
    user = make.user()
    app.extensions["majlis_jobs"].mode = "worker"
    for text in ("first", "second"):
        _enqueue(app, "tests.blocking", user_id=user.id, text=text)
    from app.jobs.queue import JobRunner

    runners = [threading.Thread(target=JobRunner(app, "worker").run_one) for _ in range(2)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join(30)
    assert sorted(CALLS) == ["first", "second"]
    assert _rows(app, Job) == []
