"""An app with the abuse limits switched on, on the suite's database (SQLite file or PostgreSQL schema)."""

from contextlib import contextmanager

from app import create_app
from app.communities.seed import seed_communities
from app.extensions import db
from config import TestConfig
from tests.support.database import empty_database, is_postgres, use_schema


@contextmanager
def limited_app(tmp_path, request, **settings):
    """Yield an app whose rate limits are on, with `settings` (config names) applied before it starts."""
    config = TestConfig(tmp_path)
    if config.SQLALCHEMY_DATABASE_URI == "sqlite://":
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'limited.db'}"
    if is_postgres(config.SQLALCHEMY_DATABASE_URI):
        use_schema(config, request.getfixturevalue("postgres_session_schema"))
    config.RATELIMIT_ENABLED = True
    for name, value in settings.items():
        setattr(config, name, value)
    app = create_app(config)
    with app.app_context():
        db.create_all()
        if is_postgres(config.SQLALCHEMY_DATABASE_URI):
            empty_database()  # the session's schema holds whatever the previous test left
        seed_communities()
        db.session.commit()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            empty_database()
            db.engine.dispose()


def from_address(client, address: str):
    """Make every later request of this test client come from `address`."""
    client.environ_base["REMOTE_ADDR"] = address
    return client
