"""The migrations build exactly the schema the models describe, and `flask prepare` is idempotent."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from app import create_app
from app.communities.models import Community
from app.extensions import db
from config import TestConfig


def migrated_app(tmp_path):
    config = TestConfig(tmp_path)
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrated.db'}"
    return create_app(config)


# SQLite cannot reflect the lower(username)/lower(email) indexes, so Alembic skips comparing them.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_migrations_match_models(tmp_path):
    app = migrated_app(tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == [], "models changed without a migration: run `make migration m=...`"


def test_prepare_twice_keeps_data(tmp_path):
    app = migrated_app(tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["prepare"]).exit_code == 0
    with app.app_context():
        db.session.add(Community(slug="extra", code="X", name="Extra community"))
        db.session.commit()
    result = runner.invoke(args=["prepare"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Community.id))).scalar() == 20
