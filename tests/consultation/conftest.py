"""Fixtures for the consultation tests: a request context to call services in, and the factories.

`build` keeps one app and request context open for the whole test: fine for service tests, but HTTP
requests made meanwhile would share its `g` and session. Tests that use the test client set up their
data with `make` or `setup_data(app)` (tests/factories.py) instead, which close their context before the
requests start.
"""

import pytest

import tests.factories
from app.extensions import db


@pytest.fixture
def ctx(app):
    """An app and request context (services, lazy strings and url_for work); one session throughout."""
    with app.app_context(), app.test_request_context():
        yield
        db.session.rollback()


@pytest.fixture
def build(ctx):
    """The factories of tests/factories.py, building in the test's open context."""
    return tests.factories
