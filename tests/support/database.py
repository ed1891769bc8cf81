"""The test database: SQLite files copied from a template, or a PostgreSQL schema of the run's own.

Creating the tables and seeding the communities costs more than most tests, so it is done once per
session (per xdist worker): on SQLite into a template file that every test copies, on PostgreSQL into
the session's schema, which every test leaves empty again (TRUNCATE) and seeds anew.
"""

import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy

from app import create_app
from app.communities.seed import seed_communities
from app.extensions import db
from config import TestConfig


def is_postgres(url: str | None = None) -> bool:
    """Whether the tests run on PostgreSQL (TEST_DATABASE_URL=postgresql…)."""
    url = url if url is not None else os.environ.get("TEST_DATABASE_URL", "")
    return url.startswith("postgresql")


@contextmanager
def postgres_schema(url: str):
    """A fresh, empty schema; yields its name and drops it (with everything in it) after."""
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
    with admin.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as connection:
            connection.execute(sqlalchemy.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def use_schema(config, schema: str) -> None:
    """Point every connection of the app's engine at `schema` only."""
    options = dict(config.SQLALCHEMY_ENGINE_OPTIONS)
    connect_args = dict(options.get("connect_args", {}))
    connect_args["options"] = (
        f"-csearch_path={schema} -csynchronous_commit=off"  # durability is not under test
    )
    options["connect_args"] = connect_args
    # Tests write from many threads at once (8 concurrent repliers, each commit then running the
    # inline indexer and jobs in contexts of their own): SQLAlchemy's default 5 + 10 connections
    # ran out and a reply waited past the test's patience.
    options.setdefault("pool_size", 10)
    options.setdefault("max_overflow", 20)
    config.SQLALCHEMY_ENGINE_OPTIONS = options


def empty_database() -> None:
    """Leave nothing behind: drop every table (SQLite), or truncate every table of the schema and restart
    its ids (PostgreSQL: as fresh as a new schema, without paying for the DDL on every test)."""
    if db.engine.dialect.name != "postgresql":
        db.drop_all()
        return
    with db.engine.begin() as connection:
        names = connection.execute(
            sqlalchemy.text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
        quoted = ", ".join(f'"{name}"' for name in names)
        if quoted:
            connection.execute(
                sqlalchemy.text("SET LOCAL lock_timeout = '20s'")
            )  # a leaked transaction fails, not hangs
            connection.execute(sqlalchemy.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))


def config_for(tmp_path: Path, database: str | None = None) -> TestConfig:
    """TestConfig for a test's own directory, on the SQLite file `tmp_path/test.db`, or on PostgreSQL in
    the schema `database` (the session's) when the suite runs there."""
    config = TestConfig(tmp_path)
    if is_postgres(config.SQLALCHEMY_DATABASE_URI):
        use_schema(config, database)
    else:
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'test.db'}"
    return config


def create_tables(config: TestConfig, seed: bool = False) -> None:
    """Every table (and with `seed`, the seeded communities) in the database `config` names."""
    app = create_app(config)
    with app.app_context():
        db.create_all()
        if seed:
            seed_communities()
            db.session.commit()
        db.session.remove()
        db.engine.dispose()  # SQLite: the last connection's close folds the WAL into the file


def sqlite_template(directory: Path) -> Path:
    """A SQLite file with every table and the seeded communities, for tests to copy."""
    create_tables(config_for(directory), seed=True)
    return directory / "test.db"


def copy_template(template: Path, tmp_path: Path) -> None:
    """Give a test its own copy of the template database, where `config_for(tmp_path)` looks (no
    connection may be open on it: the shared app's engine is disposed after every test)."""
    for leftover in ("test.db-wal", "test.db-shm", "test.db-journal"):
        (tmp_path / leftover).unlink(missing_ok=True)
    shutil.copyfile(template, tmp_path / "test.db")


class SeededSchema:
    """Puts the session's PostgreSQL schema back to its seeded state before each test, in one round trip.

    TRUNCATE gives every table new files, about 0.1 s a test; deleting the few rows a test left and
    copying the seeded rows back from a schema beside it takes milliseconds. Sequences go back to
    where seeding left them, so ids start where they would in a new database.
    """

    def __init__(self, engine, schema: str):
        self.copy = f"{schema}_seed"
        with engine.begin() as connection:
            tables = connection.execute(sqlalchemy.text(_TABLES)).scalars().all()
            seeded = [
                t
                for t in tables
                if connection.execute(sqlalchemy.text(f'SELECT EXISTS (SELECT FROM "{t}")')).scalar()
            ]
            connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{self.copy}"'))
            for table in seeded:
                connection.execute(
                    sqlalchemy.text(f'CREATE TABLE "{self.copy}"."{table}" AS TABLE "{table}"')
                )
            sequences = connection.execute(sqlalchemy.text(_SEQUENCES)).all()
        restore = [f'INSERT INTO "{t}" OVERRIDING SYSTEM VALUE TABLE "{self.copy}"."{t}";' for t in seeded]
        restore += [f"PERFORM setval('\"{name}\"', {value}, true);" for name, value in sequences if value]
        self.sql = _RESET.replace("-- restore", "\n".join(restore))

    def reset(self, engine) -> None:
        with engine.begin() as connection:  # the driver's own cursor: no placeholders to parse
            connection.connection.driver_connection.execute(self.sql)

    def drop(self, engine) -> None:
        with engine.begin() as connection:
            connection.execute(sqlalchemy.text(f'DROP SCHEMA IF EXISTS "{self.copy}" CASCADE'))


_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
_SEQUENCES = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
# Foreign keys are not checked while the rows go (replica role), so the order of the tables is free.
_RESET = """
DO $$
DECLARE name text;
BEGIN
  SET LOCAL session_replication_role = replica;
  SET LOCAL lock_timeout = '20s';
  FOR name IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DELETE FROM %I', name);
  END LOOP;
  FOR name IN SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() LOOP
    PERFORM setval(quote_ident(name), 1, false);
  END LOOP;
  -- restore
END $$;
"""
