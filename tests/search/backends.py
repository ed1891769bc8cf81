"""Both search engines for parametrised tests: Whoosh everywhere, PostgreSQL when it is reachable.

`postgres_search_app(tmp)` gives an app with SEARCH_BACKEND=postgres on a schema of its own, on the
TEST_DATABASE_URL server when the suite runs on PostgreSQL, else on the local one.
"""

from contextlib import contextmanager

from app import create_app
from app.communities.seed import seed_communities
from app.extensions import db
from config import TestConfig
from tests.scaleout.services import require_postgres
from tests.support.database import postgres_schema, use_schema

BACKENDS = ["whoosh", "postgres"]


@contextmanager
def postgres_search_app(tmp_path):
    """A migrated-by-create_all, seeded app searching with PostgreSQL; its schema is dropped after."""
    url = require_postgres()
    with postgres_schema(url) as schema:
        config = TestConfig(tmp_path)
        config.SQLALCHEMY_DATABASE_URI = url
        config.SEARCH_BACKEND = "postgres"
        use_schema(config, schema)
        app = create_app(config)
        with app.app_context():
            db.create_all()
            seed_communities()
            db.session.commit()
            app.extensions["majlis_search"].backend.create_empty()
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def use_postgres_search(app) -> None:
    """Switch an app that already runs on PostgreSQL to the PostgreSQL search engine."""
    from app.search import SearchState
    from app.search.engines.postgres import PostgresBackend
    from app.search.indexer import Indexer

    backend = PostgresBackend(app)
    app.config["SEARCH_BACKEND"] = "postgres"
    app.extensions["majlis_search"] = SearchState(backend=backend, indexer=Indexer(app, backend, "inline"))
    with app.app_context():
        backend.create_empty()


def whoosh_only(app) -> None:
    """Skip a test about Whoosh's index files when the PostgreSQL engine is under test."""
    import pytest

    if app.config.get("SEARCH_BACKEND") == "postgres":
        pytest.skip("about Whoosh's index directory")
