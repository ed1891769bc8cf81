"""Fixtures for the consultation tests: a request context to call services in, and builders."""

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
