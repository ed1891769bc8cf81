"""Room events: every event sent to a room is stored with a per-room sequence number (DESIGN.md §3).

A client remembers the last sequence it applied; on reconnect, or when it sees a gap, it asks for
the events after it and the server replays them from this table, in order. History is bounded per
room (ROOM_EVENT_HISTORY); a gap older than that tells the client to reload.
"""

import json

from app.core.time import utcnow
from app.extensions import db


class RoomSequence(db.Model):
    __tablename__ = "room_sequences"

    room = db.Column(db.String(64), primary_key=True)
    last_seq = db.Column(db.Integer, nullable=False, default=0)


class RoomEvent(db.Model):
    __tablename__ = "room_events"

    id = db.Column(db.Integer, primary_key=True)
    room = db.Column(db.String(64), nullable=False)
    seq = db.Column(db.Integer, nullable=False)
    event = db.Column(db.String(32), nullable=False)
    payload_json = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.UniqueConstraint("room", "seq", name="uq_room_events_room_seq"),)

    def envelope(self) -> dict:
        """What clients receive: room, sequence, event type and its data."""
        return {"room": self.room, "seq": self.seq, "type": self.event, "data": json.loads(self.payload_json)}
