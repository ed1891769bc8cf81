"""Side effects that run only after the database commit succeeds (DESIGN.md §2).

Code inside a transaction calls `queue(kind, payload)` with a JSON-safe dict. When the session
commits, each queued payload is handed to the handler registered for its kind; when it rolls back,
the queue is dropped. Payloads are built inside the transaction because the session cannot run SQL
inside `after_commit`.
"""

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

logger = logging.getLogger(__name__)

_QUEUE_KEY = "majlis_after_commit"
_handlers: dict[str, callable] = {}


def register(kind: str, handler) -> None:
    """Register the function that performs side effects of `kind` after a commit."""
    _handlers[kind] = handler


def queue(kind: str, payload: dict, session=None) -> None:
    """Run the `kind` handler with `payload` once the current transaction commits."""
    session = session if session is not None else db.session()
    session.info.setdefault(_QUEUE_KEY, []).append((kind, payload))


def pending(session=None) -> list:
    """What would run at the next commit (for tests and diagnostics)."""
    session = session if session is not None else db.session()
    return list(session.info.get(_QUEUE_KEY, []))


@event.listens_for(Session, "after_commit")
def _run_queued(session):
    items = session.info.pop(_QUEUE_KEY, [])
    for kind, payload in items:
        handler = _handlers.get(kind)
        if handler is None:
            continue
        try:
            handler(payload)
        except Exception:  # a side effect must never undo or break a committed request
            logger.exception("After-commit handler %s failed", kind)


@event.listens_for(Session, "after_soft_rollback")
def _drop_queued(session, previous_transaction):
    """Any rollback of the outermost transaction drops what was queued (a savepoint's keeps it)."""
    if not previous_transaction.nested:
        session.info.pop(_QUEUE_KEY, None)
