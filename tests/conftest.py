"""Shared fixtures: an app on a fresh database per test, clients, and factory fixtures.

TEST_DATABASE_URL=postgresql+psycopg://… runs the suite on PostgreSQL, in a schema of the session's own
(reached through the connection's search_path, dropped at the end) that every test leaves empty.
"""

import os
import re
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy

from app import create_app
from app.communities.seed import seed_communities
from app.extensions import db
from config import TestConfig
from tests.factories import Make


def is_postgres(url: str | None = None) -> bool:
    """Whether the tests run on PostgreSQL (TEST_DATABASE_URL=postgresql…)."""
    url = url if url is not None else os.environ.get("TEST_DATABASE_URL", "")
    return url.startswith("postgresql")


@contextmanager
def postgres_schema(url: str):
    """A fresh, empty schema; yields its name and drops it (with everything in it) after."""
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
    with admin.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as connection:
            connection.execute(sqlalchemy.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def use_schema(config, schema: str) -> None:
    """Point every connection of the app's engine at `schema` only."""
    options = dict(config.SQLALCHEMY_ENGINE_OPTIONS)
    connect_args = dict(options.get("connect_args", {}))
    connect_args["options"] = (
        f"-csearch_path={schema} -csynchronous_commit=off"  # durability is not under test
    )
    options["connect_args"] = connect_args
    config.SQLALCHEMY_ENGINE_OPTIONS = options


@pytest.fixture(scope="session")
def postgres_session_schema():
    """On PostgreSQL, one schema for the session; each test empties it again (see `empty_database`)."""
    with postgres_schema(os.environ["TEST_DATABASE_URL"]) as schema:
        yield schema


def empty_database() -> None:
    """Leave nothing behind: drop every table (SQLite), or truncate every table of the schema and restart
    its ids (PostgreSQL: as fresh as a new schema, without paying for the DDL on every test)."""
    if db.engine.dialect.name != "postgresql":
        db.drop_all()
        return
    with db.engine.begin() as connection:
        names = connection.execute(
            sqlalchemy.text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
        quoted = ", ".join(f'"{name}"' for name in names)
        if quoted:
            connection.execute(
                sqlalchemy.text("SET LOCAL lock_timeout = '20s'")
            )  # a leaked transaction fails, not hangs
            connection.execute(sqlalchemy.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app(tmp_path, request):
    config = TestConfig(tmp_path)
    if config.SQLALCHEMY_DATABASE_URI == "sqlite://":
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'test.db'}"
    if is_postgres(config.SQLALCHEMY_DATABASE_URI):
        use_schema(config, request.getfixturevalue("postgres_session_schema"))
    app = create_app(config)
    with app.app_context():
        db.create_all()
        seed_communities()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        empty_database()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """The factories of tests/factories.py, each call committed in a context of its own: make.user(),
    make.thread(), make.reply(thread), make.hidden(post), make.consultation()..."""
    return Make(app)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user):
        """Sign `user` in on this client without going through the form."""
        with self._client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    def logout(self):
        with self._client.session_transaction() as session:
            session.clear()


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def csrf_app(app):
    """The app with CSRF protection switched on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html
    )
    assert match, "no CSRF token in page"
    return match.group(1)
