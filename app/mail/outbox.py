"""Writing mail: compose a message in its recipient's language and time zone, store it in the
outbox in the current transaction, and deliver it after the commit through the jobs mechanism.

A rolled-back change leaves no row and no job, so it sends nothing. Delivery (`deliver`, the
`mail.deliver` job) marks the row sent in the job's transaction: a crash after the SMTP server
accepted the message and before that commit is the one window in which a message goes out twice,
and then with the same Message-ID.
"""

import json
import logging
import uuid
from datetime import UTC
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlsplit

from flask import current_app, render_template, url_for
from flask_babel import gettext

from app.core.languages import recipient_language
from app.core.time import utcnow
from app.extensions import db
from app.jobs import enqueue
from app.mail.models import QUEUED, SENT, MailMessage
from app.mail.transport import PermanentFailure, transport_for

logger = logging.getLogger(__name__)

DELIVER_KIND = "mail.deliver"
ACCOUNT = "account"  # messages about the account itself: never unsubscribable
REPLY_REFUSED = "reply-refused"  # the answer to one reply by mail that could not be posted
TRANSACTIONAL = {ACCOUNT, REPLY_REFUSED}  # sent once, for something the recipient just did


def site_url(endpoint: str, **values) -> str:
    """An absolute link to `endpoint` on the site (SITE_URL), for mail and anything read off-site."""
    return current_app.config["SITE_URL"] + url_for(endpoint, **values)


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058 one-click unsubscribe: a mail client POSTs to `url` with no cookies."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def send_mail(
    to: str, subject, template: str, *, category: str, user=None, locale=None, time_zone=None,
    headers: dict | None = None, attachments: list | None = None, **context,
) -> MailMessage:  # fmt: skip
    """Compose `templates/<template>.txt` and `.html` (a domain's own, extending mail/base.txt and
    mail/base.html) for one recipient and queue the message.

    `subject` is a lazy string or a callable, translated in the recipient's language. Links in the
    templates come from `site_url`. Non-account mail must carry `unsubscribe_headers`.
    """
    if category not in TRANSACTIONAL and "List-Unsubscribe" not in (headers or {}):
        raise ValueError("mail that is not about the account needs List-Unsubscribe headers")
    with recipient_language(locale, time_zone):
        subject_text = str(subject() if callable(subject) else subject)
        values = {
            "recipient": user,
            "subject": subject_text,
            "site_name": gettext(current_app.config["SITE_NAME"]),
        }
        text = render_template(f"{template}.txt", **values, **context)
        html = render_template(f"{template}.html", **values, **context)
    row = MailMessage(
        message_id=_new_message_id(), user_id=getattr(user, "id", None), to_address=to, category=category,
        subject=subject_text[:300], text_body=text, html_body=html,
        headers_json=json.dumps(headers or {}), attachments_json=json.dumps(attachments or []),
    )  # fmt: skip
    db.session.add(row)
    db.session.flush()
    enqueue(DELIVER_KIND, message=row.id)
    return row


def send_to_user(user, subject, template: str, *, category: str, **options) -> MailMessage:
    """`send_mail` to a member's address, in their language and time zone."""
    return send_mail(
        user.email, subject, template, category=category, user=user, locale=user.locale,
        time_zone=getattr(user, "time_zone", None), **options,
    )  # fmt: skip


def _new_message_id() -> str:
    host = urlsplit(current_app.config["SITE_URL"]).hostname or "localhost"
    return f"<{uuid.uuid4().hex}@{host}>"


def build(row: MailMessage) -> EmailMessage:
    """The stored row as a multipart (plain text + HTML) message, with its attachments."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at.replace(tzinfo=UTC))
    message["Message-ID"] = row.message_id
    message["Auto-Submitted"] = "auto-generated"
    for name, value in row.headers.items():
        message[name] = value
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    for attachment in row.attachments:  # text attachments (calendar files): text/<subtype>
        subtype = attachment["mimetype"].partition("/")[2]
        message.add_attachment(
            attachment["content"], subtype=subtype, filename=attachment["filename"],
            params=attachment.get("params") or {},
        )  # fmt: skip
    return message


def deliver(message: int) -> None:
    """The `mail.deliver` job: send one queued message; a message sent or given up is left alone.

    A refusal for good (5xx) marks the row failed; anything else raises, so the job is tried again
    later (MAIL_MAX_ATTEMPTS, with growing delays)."""
    row = db.session.get(MailMessage, message)
    if row is None or row.status != QUEUED:
        return
    try:
        transport_for(current_app.config).send(build(row), row.id)
    except PermanentFailure as failure:
        gave_up(str(failure), message)
        return
    row.status, row.sent_at = SENT, utcnow()
    db.session.flush()


def gave_up(error: str, message: int) -> None:
    """Mark the message failed with the reason (a 5xx answer, or retries used up)."""
    row = db.session.get(MailMessage, message)
    if row is not None and row.status == QUEUED:
        row.status, row.last_error = "failed", error[:2000]
        db.session.flush()
        logger.warning("Mail %s to %s failed for good: %s", row.id, row.to_address, error)
