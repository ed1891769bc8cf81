"""Publishing room events: stored with a sequence number in the transaction, emitted after commit."""

import json
import logging

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core import after_commit
from app.extensions import db
from app.realtime.models import RoomEvent, RoomSequence

logger = logging.getLogger(__name__)

EMIT_KIND = "socketio-room-event"
EPHEMERAL_KIND = "socketio-ephemeral"
SOCKET_EVENT = "room_event"
PRUNE_EVERY = 50


_PENDING_KEY = "majlis_room_events"


def _take_seqs(session, room: str, count: int) -> int:
    """Atomically take the room's next `count` sequence numbers; returns the last (one upsert;
    concurrent writers serialise on the row until they commit)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(RoomSequence)
        .values(room=room, last_seq=count)
        .on_conflict_do_update(index_elements=["room"], set_={"last_seq": RoomSequence.last_seq + count})
        .returning(RoomSequence.last_seq)
    )
    return session.execute(statement).scalar_one()


def publish(room: str, event: str, data: dict) -> None:
    """Store an event for `room` and emit it once the transaction commits.

    Its sequence number is taken at commit (`_store_pending`): the room's sequence row is the one
    every writer to the room locks, so it is locked for the commit only, not for the rest of the
    transaction (with twenty concurrent repliers, holding it longer queued them for seconds)."""
    payload_json = json.dumps(data, ensure_ascii=False)  # fails loudly now if not JSON-safe
    db.session().info.setdefault(_PENDING_KEY, []).append((room, event, payload_json))


@sa_event.listens_for(Session, "before_commit")
def _store_pending(session) -> None:
    """Number and store the transaction's room events, room by room in one order for every
    transaction (so two cannot deadlock on each other's rooms), and queue their emission."""
    pending = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    by_room: dict[str, list[tuple[str, str]]] = {}
    for room, event, payload_json in pending:
        by_room.setdefault(room, []).append((event, payload_json))
    for room in sorted(by_room):
        events = by_room[room]
        last = _take_seqs(session, room, len(events))
        for seq, (event, payload_json) in enumerate(events, start=last - len(events) + 1):
            session.add(RoomEvent(room=room, seq=seq, event=event, payload_json=payload_json))
            if seq % PRUNE_EVERY == 0:
                _prune(session, room, seq)
            envelope = {"room": room, "seq": seq, "type": event, "data": json.loads(payload_json)}
            after_commit.queue(EMIT_KIND, envelope, session=session)


@sa_event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(_PENDING_KEY, None)


def send_ephemeral(room: str, event: str, data: dict) -> None:
    """Presence and typing: not stored, not sequenced (missing one is harmless), still after commit."""
    after_commit.queue(EPHEMERAL_KIND, {"room": room, "event": event, "data": data})


def _prune(session, room: str, seq: int) -> None:
    keep = current_app.config["ROOM_EVENT_HISTORY"]
    session.execute(db.delete(RoomEvent).where(RoomEvent.room == room, RoomEvent.seq <= seq - keep))


def current_seq(room: str) -> int:
    row = db.session.get(RoomSequence, room)
    return row.last_seq if row else 0


def events_since(room: str, since: int, limit: int = 500) -> tuple[list[dict], bool]:
    """Events after `since` in order, and whether the client must reload (its gap is older than the history)."""
    last = current_seq(room)
    if since > last:  # a sequence the room never reached (another database, a reset): the page is stale
        return [], True
    if since == last:
        return [], False
    rows = list(
        db.session.execute(
            db.select(RoomEvent)
            .where(RoomEvent.room == room, RoomEvent.seq > since)
            .order_by(RoomEvent.seq)
            .limit(limit)
        ).scalars()
    )
    complete = bool(rows) and rows[0].seq == since + 1 and rows[-1].seq == last
    if not complete:
        return [], True
    return [row.envelope() for row in rows], False
