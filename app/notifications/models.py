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
    # Set once the notification was mailed, or found not to need it (read meanwhile, mail off).
    mailed_at = db.Column(db.DateTime, nullable=True)

    actor = db.relationship("User", foreign_keys=[actor_id], lazy="joined")
    user = db.relationship("User", foreign_keys=[user_id], lazy="select")

    __table_args__ = (
        db.Index("ix_notifications_user_read", "user_id", "read_at", "id"),
        db.Index("ix_notifications_unmailed", "mailed_at", "created_at"),
    )

    @property
    def data(self) -> dict:
        return json.loads(self.data_json or "{}")

    def can_read(self, user) -> bool:
        return user.is_authenticated and user.id == self.user_id


OFF, DIGEST, IMMEDIATE = "off", "digest", "immediate"


class MailPreference(db.Model):
    """How a member wants one group of notifications by mail; no row: the group's default."""

    __tablename__ = "mail_preferences"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    group = db.Column(db.String(32), primary_key=True)
    delivery = db.Column(db.String(16), nullable=False)

    __table_args__ = (db.CheckConstraint("delivery in ('off', 'digest', 'immediate')", name="mail_delivery"),)


DAILY, WEEKLY, NEVER = "daily", "weekly", "never"


class MailDigest(db.Model):
    """A member's digest: how often (no row: daily), and the last period sent (so it goes once)."""

    __tablename__ = "mail_digests"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    frequency = db.Column(db.String(8), nullable=False, default=DAILY)
    last_period = db.Column(db.String(16), nullable=True)  # "2026-12-07" or "2026-W50", member's calendar
    last_sent_at = db.Column(db.DateTime, nullable=True)

    __table_args__ = (
        db.CheckConstraint("frequency in ('daily', 'weekly', 'never')", name="digest_frequency"),
    )
