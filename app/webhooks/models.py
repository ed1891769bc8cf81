"""Webhook endpoints and their deliveries (one row per event and endpoint, the outbox of each)."""

from app.core.time import utcnow
from app.extensions import db

PENDING, SENT, FAILED = "pending", "sent", "failed"


class WebhookEndpoint(db.Model):
    """An address an administrator registered, the events it wants, and its signing secret."""

    __tablename__ = "webhook_endpoints"

    id = db.Column(db.Integer, primary_key=True)
    url = db.Column(db.String(500), nullable=False)
    secret = db.Column(db.String(64), nullable=False)  # signs every delivery; shown to administrators
    events = db.Column(db.Text, nullable=False)  # space-separated event names
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    failures = db.Column(db.Integer, nullable=False, default=0)  # attempts failed in a row
    disabled_at = db.Column(db.DateTime, nullable=True)

    @property
    def event_set(self) -> frozenset[str]:
        return frozenset(self.events.split())

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    @staticmethod
    def can_manage(user) -> bool:
        """Endpoints, their secrets and their deliveries are the administrators' only."""
        return user.is_authenticated and user.is_admin


class WebhookDelivery(db.Model):
    """One event for one endpoint: written in the change's transaction, sent after the commit by
    the jobs mechanism (retried with growing waits), in order per endpoint and object."""

    __tablename__ = "webhook_deliveries"

    id = db.Column(db.Integer, primary_key=True)
    endpoint_id = db.Column(
        db.Integer, db.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False
    )
    event = db.Column(db.String(40), nullable=False)
    object_type = db.Column(db.String(24), nullable=False)
    object_id = db.Column(db.Integer, nullable=False)
    status = db.Column(db.String(12), nullable=False, default=PENDING)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    response_code = db.Column(db.Integer, nullable=True)
    last_error = db.Column(db.String(500), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime, nullable=True)

    endpoint = db.relationship("WebhookEndpoint")

    __table_args__ = (
        db.Index("ix_webhook_deliveries_object", "endpoint_id", "object_type", "object_id", "id"),
        db.Index("ix_webhook_deliveries_endpoint", "endpoint_id", "id"),
    )
