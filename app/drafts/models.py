"""A member's draft for one place: the fields of the form they were filling, as they last sent them."""

import json

from app.core.time import utcnow
from app.extensions import db


class Draft(db.Model):
    __tablename__ = "drafts"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    kind = db.Column(db.String(32), nullable=False)
    target_id = db.Column(db.Integer, nullable=False)
    fields_json = db.Column(db.Text, nullable=False, default="{}")
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.UniqueConstraint("user_id", "kind", "target_id", name="uq_drafts_user_place"),)

    @property
    def fields(self) -> dict:
        return json.loads(self.fields_json)

    @fields.setter
    def fields(self, value: dict) -> None:
        self.fields_json = json.dumps(value, ensure_ascii=False)
