"""Shared fixtures: an app per test on a database of its own, clients, and factory fixtures.

The tables are made once per session (per xdist worker, see tests/support/database.py): on SQLite
each test copies a seeded template file; with TEST_DATABASE_URL=postgresql+psycopg://… the suite runs
in a schema of the session's own (reached through the connection's search_path, dropped at the end)
that each test seeds and leaves empty.
"""

import os

import pytest

from app import create_app
from app.communities.seed import seed_communities
from app.extensions import db
from tests.factories import Make
from tests.support.clients import AuthActions
from tests.support.database import (
    config_for,
    copy_template,
    create_tables,
    empty_database,
    is_postgres,
    postgres_schema,
    sqlite_template,
)


@pytest.fixture(scope="session")
def postgres_session_schema(tmp_path_factory):
    """On PostgreSQL, one schema with every table for the session; each test empties it again."""
    with postgres_schema(os.environ["TEST_DATABASE_URL"]) as schema:
        create_tables(config_for(tmp_path_factory.mktemp("schema"), schema))
        yield schema


@pytest.fixture(scope="session")
def sqlite_template_file(tmp_path_factory):
    """On SQLite, a seeded database file made once for the session, copied by each test."""
    return sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def app(tmp_path, request):
    postgres = is_postgres()
    if postgres:
        config = config_for(tmp_path, request.getfixturevalue("postgres_session_schema"))
    else:
        copy_template(request.getfixturevalue("sqlite_template_file"), tmp_path)
        config = config_for(tmp_path)
    app = create_app(config)
    if postgres:
        with app.app_context():
            seed_communities()
            db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        if postgres:
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


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def csrf_app(app):
    """The app with CSRF protection switched on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app
