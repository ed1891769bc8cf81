"""Engine settings that every connection needs."""

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Ids are 32-bit integers on PostgreSQL: a larger number can name no row, and asking for it is an error.
MAX_ID = 2**31 - 1


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL, a busy timeout and enforced foreign keys on every SQLite connection (DESIGN.md §1)."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
