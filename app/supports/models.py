"""A member's support for an item, with the stakeholder group they belonged to when they gave it."""

from app.core.time import utcnow
from app.extensions import db


class Support(db.Model):
    __tablename__ = "supports"

    id = db.Column(db.Integer, primary_key=True)
    target_type = db.Column(db.String(32), nullable=False)
    target_id = db.Column(db.Integer, nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    # The supporter's stakeholder group when they supported (None: they had not said).
    stakeholder_type = db.Column(db.String(32), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (
        db.UniqueConstraint("target_type", "target_id", "user_id", name="uq_supports_once"),
        db.Index("ix_supports_target", "target_type", "target_id", "stakeholder_type"),
    )
