"""Side effects run after a successful commit and never for a rolled-back transaction."""

import pytest

from app.core import after_commit
from app.core.database import SQLITE_BUSY_TIMEOUT_MS
from app.discussions import services
from app.discussions.models import Thread
from app.extensions import db


@pytest.fixture
def effects():
    seen = []
    after_commit.register("test-effect", seen.append)
    yield seen
    after_commit.register("test-effect", lambda payload: None)


def test_effect_runs_only_after_commit(app, effects):
    with app.app_context():
        after_commit.queue("test-effect", {"n": 1})
        db.session.flush()
        assert effects == []
        db.session.commit()
        assert effects == [{"n": 1}]


def test_effect_is_dropped_on_rollback(app, effects):
    from app.communities.models import Community

    with app.app_context():
        db.session.add(Community(slug="doomed", code="D", name="Rolled back"))
        db.session.flush()
        after_commit.queue("test-effect", {"n": 2})
        db.session.rollback()
        db.session.commit()
        assert effects == []


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite connection settings; this run uses another database")
        connection = db.session.connection()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS


def test_post_created_signal_fires_inside_the_transaction(app, make):
    from app.core.signals import post_created

    thread = make.thread()
    received = []

    def subscriber(post, **kwargs):
        received.append((post.id, kwargs["actor"].id))

    post_created.connect(subscriber)
    try:
        with app.app_context():
            row = db.session.get(Thread, thread.id)
            post = services.reply(row, row.author, "hello there")
            assert received == [(post.id, row.author.id)]
            db.session.rollback()
    finally:
        post_created.disconnect(subscriber)
