"""Keeping the index up to date: outbox rows in, batches out (DESIGN.md §2).

Signal subscribers write `SearchOutbox` rows with `enqueue()` in the transaction of the change and
queue a wake-up for after the commit: `searchable_changed` is mapped here, and a domain may map its
own signals (`app/discussions/search.py`). Exactly one indexer drains the outbox, per `SEARCH_INDEXER`:

- "background" (embedded default): a daemon thread in the web process, woken after each commit and
  polling every second;
- "inline" (tests): the after-commit handler drains synchronously, in its own session;
- "worker": nothing in process; `flask search worker` drains.

A batch is indexed with one writer commit, then its rows are deleted: a crash in between indexes
them again on restart (indexing is idempotent), and a rolled-back transaction leaves no rows.
"""

import logging
import os
import threading
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app

from app.core import after_commit, page_cache, signals
from app.core.background import WakeableLoop
from app.core.database import writing
from app.core.time import utcnow
from app.extensions import db
from app.search import registry
from app.search.backend import Hit, IndexUnavailable
from app.search.models import DELETE, UPSERT, SearchOutbox

logger = logging.getLogger(__name__)

AFTER_COMMIT_KIND = "search-index"
BATCH_SIZE = 500
REINDEX_LOCK = "reindex.lock"
REBUILD_REQUEST = "rebuild.requested"


# -- writing the outbox (inside the caller's transaction) --------------------------------------


def enqueue(entity_type: str, entity_id: int, operation: str = UPSERT) -> None:
    """Add an outbox row to the current transaction and wake the indexer after the commit."""
    db.session.add(SearchOutbox(entity_type=entity_type, entity_id=entity_id, operation=operation))
    _wake_after_commit()


def enqueue_selected(entity_type: str, ids) -> None:
    """Outbox rows for every id that `ids` (a select of one id column) returns, in one statement."""
    columns = ["entity_type", "entity_id", "operation", "created_at"]
    rows = ids.with_only_columns(
        db.literal(entity_type), *ids.selected_columns, db.literal(UPSERT), db.literal(utcnow())
    )
    db.session.execute(db.insert(SearchOutbox).from_select(columns, rows))
    _wake_after_commit()


def _wake_after_commit() -> None:
    if not any(kind == AFTER_COMMIT_KIND for kind, _ in after_commit.pending()):
        after_commit.queue(AFTER_COMMIT_KIND, {})


def _searchable_changed(type_name, entity_id=None, operation=UPSERT, **kwargs) -> None:
    if entity_id is None:
        logger.warning("searchable_changed for %s without entity_id ignored", type_name)
        return
    enqueue(type_name, int(entity_id), DELETE if operation == DELETE else UPSERT)


_connected = False


def connect_signals() -> None:
    """Turn `searchable_changed` into outbox rows (once per process); domains map their own signals."""
    global _connected
    if _connected:
        return
    signals.searchable_changed.connect(_searchable_changed, weak=False)
    after_commit.register(AFTER_COMMIT_KIND, _after_commit)
    _connected = True


def _after_commit(payload: dict) -> None:
    indexer = current_app.extensions["majlis_search"].indexer
    if indexer.mode == "inline":
        indexer.drain()
    elif indexer.mode == "background":
        indexer.wake()


# -- the indexer -------------------------------------------------------------------------------


class Indexer(WakeableLoop):
    """Drains the outbox into the backend; rebuilds the index when asked or when it is unusable."""

    def __init__(self, app: Flask, backend, mode: str):
        self.app = app
        self.backend = backend
        self.mode = mode
        self.root = Path(app.config["SEARCH_INDEX_DIR"])
        self._lock = threading.RLock()
        settle = app.config.get("SEARCH_INDEX_SETTLE_SECONDS", 0.0)
        super().__init__("search-indexer", self._pass, on_start=self.ensure_index, settle=settle)

    @contextmanager
    def _context(self):
        """A fresh app context (so a session of its own) and a request context (providers build URLs)."""
        with self.app.app_context(), self.app.test_request_context("/"):
            yield

    # draining

    def drain(self) -> int:
        """Index every pending outbox row, batch by batch; returns how many rows were handled."""
        handled = 0
        while True:
            count = self.drain_once()
            handled += count
            if count < BATCH_SIZE:
                return handled

    def drain_once(self, limit: int = BATCH_SIZE) -> int:
        """One batch: read rows, index with one commit, then delete the rows."""
        with self._lock, self._context():
            if self._reindex_elsewhere():
                return 0
            try:
                return self._drain_batch(limit)
            except IndexUnavailable as reason:
                logger.warning("Search index unusable (%s): rebuilding it", reason)
                db.session.rollback()
                self._rebuild_locked()
                return self._drain_batch(limit)
            finally:
                db.session.remove()

    def _drain_batch(self, limit: int) -> int:
        rows = (
            db.session.execute(db.select(SearchOutbox).order_by(SearchOutbox.id).limit(limit)).scalars().all()
        )
        if not rows:
            return 0
        latest: dict[tuple[str, int], str] = {}
        for row in rows:
            latest[(row.entity_type, row.entity_id)] = row.operation
        documents, deletions = self._documents(latest)
        row_ids = [row.id for row in rows]
        db.session.commit()  # end the reading transaction: on SQLite it could not turn into a writer
        with writing():  # SQLite's write lock from the first statement, held for the delete only
            self.backend.index(documents, deletions)
            db.session.execute(db.delete(SearchOutbox).where(SearchOutbox.id.in_(row_ids)))
            db.session.commit()
        logger.debug("Indexed %s documents, removed %s", len(documents), len(deletions))
        return len(rows)

    @staticmethod
    def _documents(latest: dict) -> tuple[list, list]:
        upserts: dict[str, list[int]] = {}
        deletions = []
        for (type_name, entity_id), operation in latest.items():
            if operation == DELETE:
                deletions.append(Hit(type_name, entity_id))
            else:
                upserts.setdefault(type_name, []).append(entity_id)
        documents = []
        for type_name, ids in upserts.items():
            provider = registry.provider(type_name)
            found = provider.documents(ids) if provider is not None else []
            documents.extend(found)
            present = {doc.id for doc in found}
            deletions.extend(Hit(type_name, entity_id) for entity_id in ids if entity_id not in present)
        return documents, deletions

    # rebuilding

    def rebuild(self, progress=None) -> int:
        """Rebuild the whole index from the database into a new directory, then swap it in."""
        with self._lock, self._context():
            try:
                return self._rebuild_locked(progress)
            finally:
                db.session.remove()

    def _rebuild_locked(self, progress=None) -> int:
        lock = self.root / REINDEX_LOCK
        self.root.mkdir(parents=True, exist_ok=True)
        lock.write_text(str(os.getpid()))
        try:
            count = self.backend.rebuild(all_document_batches(), progress)
            page_cache.content_changed()  # search pages kept for visitors came from the old index
        finally:
            lock.unlink(missing_ok=True)
            (self.root / REBUILD_REQUEST).unlink(missing_ok=True)
        return count

    def request_rebuild(self) -> None:
        """Ask the indexer for a rebuild (the request path never writes the index itself)."""
        if self.mode == "inline":
            self.rebuild()
            return
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / REBUILD_REQUEST).write_text(str(os.getpid()))
        self.wake()

    def ensure_index(self) -> None:
        """Rebuild a missing, corrupt or outdated index, or one whose rebuild was requested."""
        requested = (self.root / REBUILD_REQUEST).exists()
        if requested or not self.backend.is_healthy():
            logger.warning("Search index missing, unreadable or outdated: rebuilding it")
            self.rebuild()

    def _reindex_elsewhere(self) -> bool:
        """Another live process is rebuilding: its outbox rows wait for the new index."""
        try:
            pid = int((self.root / REINDEX_LOCK).read_text().strip())
        except (OSError, ValueError):
            return False
        if pid == os.getpid():
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    # the loop (WakeableLoop: a background thread or `flask search worker`)

    def _pass(self) -> None:
        if (self.root / REBUILD_REQUEST).exists():
            self.ensure_index()
        self.drain()


def all_document_batches(batch_size: int = BATCH_SIZE):
    """Every document of every registered provider, in batches (for a rebuild)."""
    for provider in registry.providers().values():
        ids = list(provider.all_ids())
        for start in range(0, len(ids), batch_size):
            yield provider.documents(ids[start : start + batch_size])


def outbox_backlog() -> tuple[int, object]:
    """How many rows wait in the outbox, and when the oldest was written."""
    count, oldest = db.session.execute(
        db.select(db.func.count(SearchOutbox.id), db.func.min(SearchOutbox.created_at))
    ).one()
    return count, oldest
