"""Shared fixtures: an app on a fresh database per test, clients, and factory fixtures.

TEST_DATABASE_URL=postgresql+psycopg://… runs the suite on PostgreSQL: each test gets a fresh
schema of its own (dropped afterwards), reached through the connection's search_path.
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
from tests.factories import Factories


def is_postgres(url: str | None = None) -> bool:
    """Whether the tests run on PostgreSQL (TEST_DATABASE_URL=postgresql…)."""
    url = url if url is not None else os.environ.get("TEST_DATABASE_URL", "")
    return url.startswith("postgresql")


@contextmanager
def postgres_schema(url: str):
    """A fresh, empty schema for one test; yields its name and drops it (with everything in it) after."""
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
    connect_args["options"] = f"-csearch_path={schema}"
    options["connect_args"] = connect_args
    config.SQLALCHEMY_ENGINE_OPTIONS = options


@pytest.fixture
def app(tmp_path):
    config = TestConfig(tmp_path)
    if config.SQLALCHEMY_DATABASE_URI == "sqlite://":
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'test.db'}"
    with _isolated(config) as config:
        app = create_app(config)
        with app.app_context():
            db.create_all()
            seed_communities()
            db.session.commit()
        yield app
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@contextmanager
def _isolated(config):
    """SQLite already has a file per test; on PostgreSQL give the test a schema of its own."""
    if not is_postgres(config.SQLALCHEMY_DATABASE_URI):
        yield config
        return
    with postgres_schema(config.SQLALCHEMY_DATABASE_URI) as schema:
        use_schema(config, schema)
        yield config


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Factory functions: make.user(), make.thread(), make.reply(), make.community()."""
    return Factories(app)


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
