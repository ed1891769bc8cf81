"""Fixtures for the consultation tests: a request context to call services in, and builders.

`build` keeps one app and request context open for the whole test: fine for service tests, but HTTP
requests made meanwhile would share its `g` and session. Tests that use the test client set up their
data with `setup_data(app)` instead, which closes its context before the requests start.
"""

from contextlib import contextmanager

import pytest

from app.extensions import db
from tests.consultation.builders import Builders


@pytest.fixture
def ctx(app):
    """An app and request context (services, lazy strings and url_for work); one session throughout."""
    with app.app_context(), app.test_request_context():
        yield
        db.session.rollback()


@pytest.fixture
def build(ctx):
    return Builders()


@contextmanager
def setup_data(app):
    """Build data in a context of its own and commit it; objects stay readable afterwards."""
    with app.app_context(), app.test_request_context():
        db.session().expire_on_commit = False
        yield Builders()
        db.session.commit()
