"""PostgreSQL and Redis for scale-out tests: reachability checks and throw-away databases."""

import os
import socket
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit

import sqlalchemy
from sqlalchemy.engine import make_url

from tests.support.live import skip_or_fail

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    """The PostgreSQL server the tests use: TEST_DATABASE_URL when it is PostgreSQL, else the local one."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_redis() -> None:
    """Skip (locally) or fail (CI) unless Redis answers PING."""
    url = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            if conn.recv(16).startswith(b"+PONG"):
                return
    except OSError:
        pass
    skip_or_fail(f"Redis is not reachable at {REDIS_URL}")


def require_postgres() -> str:
    """The PostgreSQL URL, after checking the server accepts connections (else skip or fail)."""
    url = postgres_url()
    parsed = make_url(url)
    if not _answers(parsed.host or "127.0.0.1", parsed.port or 5432):
        skip_or_fail(f"PostgreSQL is not reachable at {parsed.host}:{parsed.port}")
    return url


@contextmanager
def fresh_postgres_database():
    """A new, empty PostgreSQL database (for real server processes and migrations); dropped after."""
    url = make_url(require_postgres())
    name = f"majlis_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sqlalchemy.pool.NullPool)
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
