"""Publishing room events: stored with a sequence number in the transaction, emitted after commit."""

import json
import logging

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core import after_commit
from app.core.time import utcnow
from app.extensions import db
from app.realtime.models import RoomEvent, RoomSequence

logger = logging.getLogger(__name__)

EMIT_KIND = "socketio-room-event"
EPHEMERAL_KIND = "socketio-ephemeral"
SOCKET_EVENT = "room_event"
PRUNE_EVERY = 50


_PENDING_KEY = "majlis_room_events"


ROOMS_PER_STATEMENT = 500


def _take_seqs(session, counts: dict[str, int]) -> dict[str, int]:
    """Atomically take each room's next `count` sequence numbers; returns each room's last. One
    multi-row upsert per ROOMS_PER_STATEMENT rooms, in room order (concurrent writers serialise on
    a room's row until they commit, always in the same order): a reply that notifies ten thousand
    followers numbers their ten thousand rooms in twenty statements, not ten thousand."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rooms = sorted(counts)
    last = {}
    for start in range(0, len(rooms), ROOMS_PER_STATEMENT):
        chunk = rooms[start : start + ROOMS_PER_STATEMENT]
        statement = insert(RoomSequence).values([{"room": room, "last_seq": counts[room]} for room in chunk])
        statement = statement.on_conflict_do_update(
            index_elements=["room"], set_={"last_seq": RoomSequence.last_seq + statement.excluded.last_seq}
        ).returning(RoomSequence.room, RoomSequence.last_seq)
        last.update((room, seq) for room, seq in session.execute(statement))
    return last


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
    last_seqs = _take_seqs(session, {room: len(events) for room, events in by_room.items()})
    rows, created_at = [], utcnow()
    for room in sorted(by_room):
        events = by_room[room]
        last = last_seqs[room]
        for seq, (event, payload_json) in enumerate(events, start=last - len(events) + 1):
            rows.append(
                {
                    "room": room,
                    "seq": seq,
                    "event": event,
                    "payload_json": payload_json,
                    "created_at": created_at,
                }
            )
            if seq % PRUNE_EVERY == 0:
                _prune(session, room, seq)
            envelope = {"room": room, "seq": seq, "type": event, "data": json.loads(payload_json)}
            after_commit.queue(EMIT_KIND, envelope, session=session)
    session.execute(db.insert(RoomEvent), rows)  # one executemany, whatever the number of rooms


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
