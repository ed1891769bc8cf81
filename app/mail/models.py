"""The mail outbox: one row per message, written in the transaction of the change that causes it."""

import json

from app.core.time import utcnow
from app.extensions import db

QUEUED, SENT, FAILED = "queued", "sent", "failed"


class MailMessage(db.Model):
    """A composed message waiting to be sent, sent, or given up on.

    `message_id` is fixed when the row is written, so a message sent again after a crash between
    the SMTP server's acceptance and our commit carries the same Message-ID (receivers de-duplicate on it).
    """

    __tablename__ = "mail_messages"

    id = db.Column(db.Integer, primary_key=True)
    message_id = db.Column(db.String(255), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    to_address = db.Column(db.String(254), nullable=False)
    category = db.Column(db.String(32), nullable=False)
    subject = db.Column(db.String(300), nullable=False)
    text_body = db.Column(db.Text, nullable=False)
    html_body = db.Column(db.Text, nullable=False)
    headers_json = db.Column(db.Text, nullable=False, default="{}")
    attachments_json = db.Column(db.Text, nullable=False, default="[]")
    status = db.Column(db.String(16), nullable=False, default=QUEUED)
    last_error = db.Column(db.Text, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime, nullable=True)

    __table_args__ = (
        db.CheckConstraint("status in ('queued', 'sent', 'failed')", name="mail_status"),
        db.Index("ix_mail_messages_status", "status", "id"),
        db.Index("ix_mail_messages_user", "user_id", "id"),
    )

    @property
    def headers(self) -> dict[str, str]:
        return json.loads(self.headers_json or "{}")

    @property
    def attachments(self) -> list[dict]:
        """[{"filename", "mimetype", "content"}], content as text (calendar files)."""
        return json.loads(self.attachments_json or "[]")

    def __repr__(self):
        return f"<MailMessage {self.id} {self.category} to {self.to_address} {self.status}>"


class InboundMail(db.Model):
    """A message received by reply-by-email, by its Message-ID: written in the transaction that
    posts it (or refuses it), so a message delivered again is recognised and never posted twice."""

    __tablename__ = "inbound_mail"

    id = db.Column(db.Integer, primary_key=True)
    message_id = db.Column(db.String(255), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    status = db.Column(db.String(16), nullable=False)  # "posted" or "refused"
    reason = db.Column(db.String(500), nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
