"""Engine settings that every connection needs."""

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Ids are 32-bit integers on PostgreSQL: a larger number can name no row, and asking for it is an error.
MAX_ID = 2**31 - 1


def parse_id(value) -> int | None:
    """A row id typed or sent by a client (ASCII digits, within MAX_ID), or None.

    `str.isdigit()` alone is not enough: it accepts "²" (which `int()` refuses) and numbers beyond
    a PostgreSQL integer, which make the query itself fail.
    """
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 10 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def id_choice(value) -> int | None:
    """A form field's `coerce` for a choice that names a row: None when left empty, else its id.

    Anything else raises ValueError, which WTForms shows as an invalid choice, so a number beyond
    MAX_ID never reaches a query (`coerce=int` lets it through).
    """
    if value is None or value in ("", "None"):
        return None
    number = parse_id(value)
    if number is None:
        raise ValueError(f"not a row id: {value!r}")
    return number


MAX_PAGE = 1_000_000  # far past any real last page; a larger offset would overflow the query


def bounded_page(value) -> int:
    """A `?page=` value as a page number from 1 to MAX_PAGE (1 when it is not a number)."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    if len(text) > len(str(MAX_PAGE)):  # and int() of thousands of digits would refuse
        return MAX_PAGE
    return max(1, min(int(text), MAX_PAGE))


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
