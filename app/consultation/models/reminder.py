"""Reminders sent, so that each goes once (app/consultation/reminders.py)."""

from app.core.time import utcnow
from app.extensions import db


class Reminder(db.Model):
    """A reminder sent: of a draft (`contribution`) or a meeting registration (`meeting`), at a stage."""

    __tablename__ = "consultation_reminders"

    subject_kind = db.Column(db.String(16), primary_key=True)  # "draft" or "meeting"
    subject_id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    stage = db.Column(db.String(8), primary_key=True)  # "7d", "48h", "24h"
    sent_at = db.Column(db.DateTime, nullable=False, default=utcnow)
