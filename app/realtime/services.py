"""Publishing room events: stored with a sequence number in the transaction, emitted after commit."""

import json
import logging

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from app.core import after_commit
from app.extensions import db
from app.realtime.models import RoomEvent, RoomSequence

logger = logging.getLogger(__name__)

EMIT_KIND = "socketio-room-event"
EPHEMERAL_KIND = "socketio-ephemeral"
SOCKET_EVENT = "room_event"
PRUNE_EVERY = 50


def _next_seq(room: str) -> int:
    """Atomically take the room's next sequence number (one upsert; concurrent writers serialise on the row)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(RoomSequence)
        .values(room=room, last_seq=1)
        .on_conflict_do_update(index_elements=["room"], set_={"last_seq": RoomSequence.last_seq + 1})
        .returning(RoomSequence.last_seq)
    )
    return db.session.execute(statement).scalar_one()


def publish(room: str, event: str, data: dict) -> int:
    """Store an event for `room` and emit it once the transaction commits. Returns its sequence."""
    payload_json = json.dumps(data, ensure_ascii=False)  # fails loudly now if not JSON-safe
    seq = _next_seq(room)
    db.session.add(RoomEvent(room=room, seq=seq, event=event, payload_json=payload_json))
    if seq % PRUNE_EVERY == 0:
        _prune(room, seq)
    after_commit.queue(EMIT_KIND, {"room": room, "seq": seq, "type": event, "data": json.loads(payload_json)})
    return seq


def send_ephemeral(room: str, event: str, data: dict) -> None:
    """Presence and typing: not stored, not sequenced (missing one is harmless), still after commit."""
    after_commit.queue(EPHEMERAL_KIND, {"room": room, "event": event, "data": data})


def _prune(room: str, seq: int) -> None:
    keep = current_app.config["ROOM_EVENT_HISTORY"]
    db.session.execute(db.delete(RoomEvent).where(RoomEvent.room == room, RoomEvent.seq <= seq - keep))


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
