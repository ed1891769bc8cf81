"""Notifications."""

import json

from app.core.time import utcnow
from app.extensions import db


class Notification(db.Model):
    __tablename__ = "notifications"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    kind = db.Column(db.String(32), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    url = db.Column(db.String(500), nullable=False, default="")
    data_json = db.Column(db.Text, nullable=False, default="{}")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    read_at = db.Column(db.DateTime, nullable=True)

    actor = db.relationship("User", foreign_keys=[actor_id], lazy="joined")

    __table_args__ = (db.Index("ix_notifications_user_read", "user_id", "read_at", "id"),)

    @property
    def data(self) -> dict:
        return json.loads(self.data_json or "{}")

    def can_read(self, user) -> bool:
        return user.is_authenticated and user.id == self.user_id
