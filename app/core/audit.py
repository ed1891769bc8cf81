"""The audit log: one row per moderator, administrator or review action (STYLE.md habit 11)."""

import json
import logging

from app.core.time import utcnow
from app.extensions import db

logger = logging.getLogger(__name__)


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id = db.Column(db.Integer, primary_key=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    action = db.Column(db.String(64), nullable=False, index=True)
    target_type = db.Column(db.String(32), nullable=False)
    target_id = db.Column(db.Integer, nullable=True)
    community_id = db.Column(db.Integer, db.ForeignKey("communities.id"), nullable=True, index=True)
    reason = db.Column(db.Text, nullable=False, default="")
    before_json = db.Column(db.Text, nullable=True)
    after_json = db.Column(db.Text, nullable=True)

    actor = db.relationship("User", lazy="joined")

    __table_args__ = (db.Index("ix_audit_entries_target", "target_type", "target_id"),)

    @property
    def before(self):
        return json.loads(self.before_json) if self.before_json else None

    @property
    def after(self):
        return json.loads(self.after_json) if self.after_json else None


def record(
    actor,
    action: str,
    target_type: str,
    target_id=None,
    community_id=None,
    reason="",
    before=None,
    after=None,
) -> AuditEntry:
    """Write an audit row in the current transaction (it commits or rolls back with the action)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        community_id=community_id,
        reason=reason or "",
        before_json=json.dumps(before, default=str, ensure_ascii=False) if before is not None else None,
        after_json=json.dumps(after, default=str, ensure_ascii=False) if after is not None else None,
    )
    db.session.add(entry)
    db.session.flush()
    logger.info("Audit: %s %s %s:%s", actor, action, target_type, target_id)
    return entry
