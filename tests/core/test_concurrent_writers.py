"""Twenty people replying at once to a real server process: not one reply fails, none is lost."""

import sqlite3
import threading

import pytest

from app.core import database
from app.discussions.models import Thread
from app.extensions import db
from tests.support.live import live_server
from tests.support.writers import SERVER_ENV, contend, unreachable


def test_twenty_concurrent_writers_get_no_error_and_every_reply_is_reachable(tmp_path):
    with live_server(tmp_path, **SERVER_ENV) as server:
        result, thread_ids = contend(server.url, writers=20, seconds=12, threads=2)

        assert result.failures == [], f"{len(result.failures)} of {len(result.latencies)} replies failed"
        assert len(result.acknowledged) > 20
        assert unreachable(server.url, result, thread_ids) == []


def test_a_reply_that_meets_a_locked_database_is_tried_again_and_saved(app, client, auth, make, monkeypatch):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's write lock; this run uses another database")
    thread, author = make.thread(), make.user()
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 300)
    with app.app_context():
        db.engine.dispose()  # new connections wait 300 ms for the lock
        path = db.engine.url.database
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)  # another process, say
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.45, other.rollback).start()  # gives the lock back after the first wait
    auth.login(author)

    response = client.post(f"/t/{thread.id}/reply", data={"body": "Written while the database was busy"})

    other.close()
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Thread, thread.id).post_count == 2
