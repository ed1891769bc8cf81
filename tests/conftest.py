"""Shared fixtures: an app per test on a database of its own, clients, and factory fixtures.

The tables are made once per session (per xdist worker, see tests/support/database.py): on SQLite
each test copies a seeded template file; with TEST_DATABASE_URL=postgresql+psycopg://… the suite runs
in a schema of the session's own (reached through the connection's search_path, dropped at the end)
that each test seeds and leaves empty.
"""

import os

import pytest

from app import create_app
from app.extensions import db
from tests.factories import Make
from tests.support.clients import AuthActions
from tests.support.database import (
    SeededSchema,
    config_for,
    copy_template,
    create_tables,
    is_postgres,
    postgres_schema,
    sqlite_template,
)
from tests.support.shared_app import SharedApp


@pytest.fixture(scope="session")
def postgres_session_schema(tmp_path_factory):
    """On PostgreSQL, one schema with every table for the session, seeded."""
    with postgres_schema(os.environ["TEST_DATABASE_URL"]) as schema:
        create_tables(config_for(tmp_path_factory.mktemp("schema"), schema), seed=True)
        yield schema


@pytest.fixture(scope="session")
def sqlite_template_file(tmp_path_factory):
    """On SQLite, a seeded database file made once for the session, copied by each test."""
    return sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def shared_app(tmp_path_factory, request):
    """The session's one app (per xdist worker), on the database file every test restores, or on
    the session's PostgreSQL schema."""
    directory = tmp_path_factory.mktemp("app")
    schema = request.getfixturevalue("postgres_session_schema") if is_postgres() else None
    shared = SharedApp(create_app(config_for(directory, schema)))
    shared.database_directory = directory
    if schema is None:
        yield shared
        return
    with shared.app.app_context():
        shared.seeded_schema = SeededSchema(db.engine, schema)
    yield shared
    with shared.app.app_context():
        shared.seeded_schema.drop(db.engine)
        db.engine.dispose()


@pytest.fixture
def app(tmp_path, request, shared_app):
    """The shared app as if new: its database holds the seeded communities and nothing else."""
    postgres = is_postgres()
    if not postgres:
        copy_template(request.getfixturevalue("sqlite_template_file"), shared_app.database_directory)
    app = shared_app.fresh(tmp_path)
    if postgres:
        with app.app_context():
            shared_app.seeded_schema.reset(db.engine)
    yield app
    shared_app.finish()


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


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def csrf_app(app):
    """The app with CSRF protection switched on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app
