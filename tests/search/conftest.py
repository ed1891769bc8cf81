"""Every search test runs on both engines: Whoosh and PostgreSQL (DESIGN.md §4)."""

import pytest

from tests.search.backends import BACKENDS, postgres_search_app, use_postgres_search
from tests.support.database import is_postgres


@pytest.fixture(params=BACKENDS)
def app(request, app, tmp_path):
    """The root `app` (Whoosh), or the same on PostgreSQL search: switched in place when the suite runs
    on PostgreSQL, else a second app on a PostgreSQL schema of its own."""
    if request.param == "whoosh":
        yield app
    elif is_postgres(app.config["SQLALCHEMY_DATABASE_URI"]):
        use_postgres_search(app)
        yield app
    else:
        with postgres_search_app(tmp_path / "postgres") as postgres_app:
            yield postgres_app
