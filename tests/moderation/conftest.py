import pytest


@pytest.fixture(autouse=True)
def _request_context_for_factories(app):
    """TEMPORARY while the lead's subscribers need a request (url_for, locale) when factories post."""
    with app.test_request_context():
        yield
