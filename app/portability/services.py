"""Export every table as JSON lines, and import such a file into an empty database.

Rows go out in foreign-key order (parents before children) and by primary key; columns that
point at their own table (a post's parent, a community's parent) are written as NULL first and
set once the whole table is in, so no row order can break a constraint. After the rows come the
uploaded files, one line each (`{"blob": sha256, "data": base64}`), checked against their digest and
written to this site's storage (local or S3) as they are read. The import runs in the caller's
transaction and flushes only: the CLI commits once, after every check passed.
"""

import base64
import binascii
import json
import logging
from collections.abc import Iterable, Iterator

from sqlalchemy import Table

from app.core.refusals import Refused
from app.core.time import isoformat, utcnow
from app.extensions import db
from app.files.models import Upload
from app.files.services import storage
from app.files.storage import digest_of
from app.portability.codec import from_json, to_json

logger = logging.getLogger(__name__)

FORMAT = "majlis-export"
VERSION = 1
BATCH = 1000
PASSWORD_COLUMN = ("users", "password_hash")
UNUSABLE_PASSWORD = "!"  # matches no password: the person sets a new one


class ImportRefused(Refused):
    """The file or the target database is not fit for an import; nothing was written."""


def tables() -> list[Table]:
    """The application's tables, parents before children."""
    return list(db.metadata.sorted_tables)


def schema_revision() -> str | None:
    """The Alembic revision of the database, or None when it was built without migrations."""
    inspector = db.inspect(db.session.connection())
    if not inspector.has_table("alembic_version"):
        return None
    return db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()


# -- export ------------------------------------------------------------------------------------


def export_lines(with_passwords: bool = False, with_files: bool = True) -> Iterator[str]:
    """The whole site as JSON lines: header, rows table by table, the uploaded files, footer with the counts."""
    yield _line(
        {
            "format": FORMAT,
            "version": VERSION,
            "revision": schema_revision(),
            "with_passwords": with_passwords,
            "exported_at": isoformat(utcnow()),
        }
    )
    counts = {}
    for table in tables():
        counts[table.name] = 0
        for row in _rows(table, with_passwords):
            counts[table.name] += 1
            yield _line({"table": table.name, "row": row})
    blobs = 0
    for digest in _blob_digests() if with_files else ():
        blobs += 1
        yield _line({"blob": digest, "data": base64.b64encode(storage().read(digest)).decode("ascii")})
    yield _line({"end": True, "counts": counts, "blobs": blobs})


def _blob_digests() -> list[str]:
    """Every stored blob an upload names (files and thumbnails), each once."""
    rows = db.session.execute(db.select(Upload.digest, Upload.thumbnail_digest)).all()
    return sorted({digest for row in rows for digest in row if digest})


def _rows(table: Table, with_passwords: bool) -> Iterator[dict]:
    statement = db.select(table).order_by(*table.primary_key.columns)
    result = db.session.execute(statement.execution_options(yield_per=BATCH))
    for mapping in result.mappings():
        row = {name: to_json(value) for name, value in mapping.items()}
        if not with_passwords and table.name == PASSWORD_COLUMN[0]:
            row.pop(PASSWORD_COLUMN[1], None)
        yield row


def _line(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n"


# -- import ------------------------------------------------------------------------------------


def import_lines(lines: Iterable[str], replace: bool = False) -> dict[str, int]:
    """Load an export into this database (empty, or emptied with `replace`); returns rows per table."""
    items = (json.loads(line) for line in lines if line.strip())
    header = next(items, None)
    _check_header(header)
    _check_target(replace)
    loader = RowLoader({table.name: table for table in tables()})
    footer, blobs = None, 0
    for item in items:
        if item.get("end"):
            footer = item
            break
        if "blob" in item:
            _store_blob(item)
            blobs += 1
            continue
        loader.add(item)
    loader.finish()
    _check_footer(footer, loader.counts)
    if footer.get("blobs", 0) != blobs:
        raise ImportRefused(f"the export holds {footer.get('blobs', 0)} files but {blobs} were read")
    _reset_sequences()
    logger.info(
        "Imported %s rows from an export of revision %s", sum(loader.counts.values()), header["revision"]
    )
    return loader.counts


def _store_blob(item: dict) -> None:
    """A file of the export, into this site's storage once its bytes match the digest that names it."""
    try:
        data = base64.b64decode(item.get("data", ""), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImportRefused(f"file {item['blob']!r} is not valid base64") from error
    if digest_of(data) != item["blob"]:
        raise ImportRefused(f"file {item['blob']!r} does not match its SHA-256: the export is damaged")
    storage().put(data)


def _check_header(header) -> None:
    if not header or header.get("format") != FORMAT:
        raise ImportRefused("not a Majlis export (the first line is not its header)")
    if header.get("version") != VERSION:
        raise ImportRefused(f"export format version {header.get('version')} is not supported")
    here = schema_revision()
    if header.get("revision") and here and header["revision"] != here:
        raise ImportRefused(
            f"the export is of schema revision {header['revision']} but this database is at {here}: "
            "upgrade both to the same revision first"
        )


def _check_target(replace: bool) -> None:
    filled = [
        table.name
        for table in tables()
        if db.session.execute(db.select(db.func.count()).select_from(table)).scalar()
    ]
    if filled and not replace:
        raise ImportRefused(
            f"the database is not empty ({', '.join(filled)}); use --replace to empty it first"
        )
    if filled:
        for table in reversed(tables()):
            db.session.execute(table.delete())


def _check_footer(footer, counts: dict[str, int]) -> None:
    if footer is None:
        raise ImportRefused("the export is truncated (no footer line)")
    expected = {name: count for name, count in footer["counts"].items() if count}
    if expected != {name: count for name, count in counts.items() if count}:
        raise ImportRefused(f"row counts differ from the export's footer: expected {expected}, read {counts}")


def _reset_sequences() -> None:
    """On PostgreSQL, move each id sequence past the imported ids (SQLite needs nothing)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables():
        for column in table.primary_key.columns:
            if not isinstance(column.type, db.Integer):
                continue
            db.session.execute(
                db.text(
                    f'SELECT setval(seq, COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false) '
                    "FROM (SELECT pg_get_serial_sequence(:table, :column) AS seq) AS serial WHERE seq IS NOT NULL"
                ),
                {"table": table.name, "column": column.name},
            )


class RowLoader:
    """Inserts rows in batches, table by table, into `known` tables (name -> Table), deferring columns
    that refer to their own table until the table is complete."""

    def __init__(self, known: dict[str, Table]):
        self.known = known
        self.counts: dict[str, int] = {}
        self.table: Table | None = None
        self.batch: list[dict] = []
        self.deferred: list[tuple[dict, dict]] = []  # (primary key, self-referencing values)

    def add(self, item: dict) -> None:
        table = self.known.get(item.get("table"))
        if table is None:
            raise ImportRefused(f"unknown table {item.get('table')!r} in the export")
        if table is not self.table:
            self._finish_table()
            self.table = table
        self.batch.append(self._row(table, item["row"]))
        self.counts[table.name] = self.counts.get(table.name, 0) + 1
        if len(self.batch) >= BATCH:
            self._insert()

    def finish(self) -> None:
        self._finish_table()

    def _row(self, table: Table, raw: dict) -> dict:
        unknown = set(raw) - set(table.columns.keys())
        if unknown:
            raise ImportRefused(f"columns {sorted(unknown)} of {table.name} do not exist in this schema")
        row = {name: from_json(table.columns[name], value) for name, value in raw.items()}
        if table.name == PASSWORD_COLUMN[0]:
            row.setdefault(PASSWORD_COLUMN[1], UNUSABLE_PASSWORD)
        own = _self_references(table)
        later = {name: row[name] for name in own if row.get(name) is not None}
        if later:
            self.deferred.append(
                ({column.name: row[column.name] for column in table.primary_key.columns}, later)
            )
            row.update(dict.fromkeys(later))
        return row

    def _insert(self) -> None:
        if self.batch:
            db.session.execute(self.table.insert(), self.batch)
            self.batch = []

    def _finish_table(self) -> None:
        if self.table is None:
            return
        self._insert()
        for key, values in self.deferred:
            condition = [self.table.columns[name] == value for name, value in key.items()]
            db.session.execute(self.table.update().where(*condition).values(**values))
        self.deferred = []


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
