"""Reply by email: signed reply addresses, and turning an incoming message into a post.

A notification mail about a thread carries `Reply-To: reply+<token>@MAIL_REPLY_DOMAIN`, the token
naming the member, the thread and the post replied to, with an HMAC so it cannot be forged or
altered. `receive(raw)` (the SMTP receiver of `flask mail inbound`, or one message piped to
`flask mail inbound --stdin`) checks the message and hands the text to the handler a domain
registered (discussions: the same `reply` service as the web form), in one transaction with a row
that records the message's Message-ID, so a message redelivered by a mail server never makes two posts.
What cannot be posted is answered with a mail saying why; auto-replies are dropped silently.
"""

import email
import email.policy
import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr
from html import unescape

import bleach
from flask import current_app
from flask_babel import lazy_gettext as _l
from mailparser_reply import EmailReplyParser
from sqlalchemy.exc import IntegrityError

from app.core.refusals import Refused
from app.core.time import utcnow
from app.extensions import db
from app.mail.models import InboundMail
from app.mail.outbox import REPLY_REFUSED, send_mail

logger = logging.getLogger(__name__)

ADDRESS = re.compile(r"^reply\+(\d{1,10})-(\d{1,10})-(\d{1,10})-([0-9a-f]{20})@(.+)$", re.IGNORECASE)
AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
# The quote headers ("On … wrote:") mail-parser-reply knows, for the UN languages it has; Arabic and
# Russian clients quote with ">" lines, which are taken out whatever the language.
QUOTE_LANGUAGES = ["en", "fr", "es", "zh", "de"]


@dataclass(frozen=True)
class InboundReply:
    """What a reply handler gets: who the token names, who sent it, where it goes, and the new text."""

    user_id: int
    sender: str
    thread_id: int
    post_id: int
    text: str


_reply_handler: Callable | None = None


def register_reply_handler(handler: Callable) -> None:
    """`handler(reply: InboundReply) -> user_id` posts the reply as that member (flushing, never
    committing) or raises `Refused` with the reason the sender is told; it checks that the sender
    is the member's address."""
    global _reply_handler
    _reply_handler = handler


# Addresses -----------------------------------------------------------------------------------------


def _mac(user_id: int, thread_id: int, post_id: int) -> str:
    message = f"reply:{user_id}:{thread_id}:{post_id}".encode()
    return hmac.new(current_app.secret_key.encode(), message, hashlib.sha256).hexdigest()[:20]


def reply_address(user_id: int, thread_id: int, post_id: int) -> str | None:
    """The address a member replies to by mail (lower case, 64 characters at most before the @:
    mail servers may change the case of the local part and limit its length), or None without
    MAIL_REPLY_DOMAIN."""
    domain = current_app.config.get("MAIL_REPLY_DOMAIN")
    if not domain:
        return None
    return f"reply+{user_id}-{thread_id}-{post_id}-{_mac(user_id, thread_id, post_id)}@{domain}"


def parse_reply_address(address: str) -> tuple[int, int, int] | None:
    """(user, thread, post) of a genuine reply address at our MAIL_REPLY_DOMAIN, else None."""
    match = ADDRESS.match((address or "").strip())
    domain = (current_app.config.get("MAIL_REPLY_DOMAIN") or "").lower()
    if match is None or not domain or match.group(5).lower() != domain:
        return None
    user_id, thread_id, post_id = (int(match.group(n)) for n in (1, 2, 3))
    if not hmac.compare_digest(match.group(4).lower(), _mac(user_id, thread_id, post_id)):
        return None
    return user_id, thread_id, post_id


def looks_like_reply_address(address: str) -> bool:
    """A reply+… address at MAIL_REPLY_DOMAIN, genuine or not."""
    match = ADDRESS.match((address or "").strip())
    domain = (current_app.config.get("MAIL_REPLY_DOMAIN") or "").lower()
    return match is not None and bool(domain) and match.group(5).lower() == domain


# Receiving -------------------------------------------------------------------------------------------


class Refusal(Refused):
    """The reply cannot be posted; the sender is told why."""


def receive(raw: bytes, recipients: list[str] | None = None) -> str:
    """Handle one incoming message; commits. Returns what became of it: "posted", "refused",
    "dropped" (an auto-reply, or no reply address of ours) or "duplicate"."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if _is_automatic(message):
        logger.info("Inbound mail dropped: an automatic reply")
        return "dropped"
    sender = parseaddr(str(message.get("From", "")))[1]
    message_id = _message_id(message, raw)
    address = _our_address(message, recipients)
    if address is None:
        logger.info("Inbound mail dropped: no reply address of ours")
        return "dropped"
    if db.session.execute(db.select(InboundMail.id).filter_by(message_id=message_id)).first() is not None:
        logger.info("Inbound mail %s seen before: not posted again", message_id)
        return "duplicate"
    try:
        user_id = _post_reply(message, raw, address, sender, message_id)
    except Refusal as refusal:
        db.session.rollback()
        return _refuse(message, sender, message_id, str(refusal))
    except IntegrityError:  # the same message, delivered twice at once: the other one posted it
        db.session.rollback()
        return "duplicate"
    db.session.commit()
    logger.info("Inbound mail %s posted as a reply by user %s", message_id, user_id)
    return "posted"


def _post_reply(message, raw: bytes, address: str, sender: str, message_id: str) -> int:
    if len(raw) > current_app.config["MAIL_INBOUND_MAX_BYTES"]:
        raise Refusal(
            _l(
                "The message is too large to post (at most %(size)d KB).",
                size=current_app.config["MAIL_INBOUND_MAX_BYTES"] // 1024,
            )
        )
    found = parse_reply_address(address)
    if found is None:
        raise Refusal(_l("The address you replied to is not one we gave out, or it was changed."))
    user_id, thread_id, post_id = found
    text = reply_text(message)
    if not text:
        raise Refusal(_l("The reply is empty once the quoted message and signature are taken out."))
    row = InboundMail(message_id=message_id, status="posted", created_at=utcnow())
    db.session.add(row)
    try:
        row.user_id = _reply_handler(InboundReply(user_id, sender, thread_id, post_id, text))
    except Refused as refusal:
        raise Refusal(refusal.message) from refusal
    db.session.flush()
    return row.user_id


def _refuse(message, sender: str, message_id: str, reason: str) -> str:
    """Record the refusal (so a redelivery is not answered twice) and tell the sender why."""
    db.session.add(
        InboundMail(
            message_id=message_id, user_id=None, status="refused", reason=reason[:500], created_at=utcnow()
        )
    )
    if sender:
        subject = str(message.get("Subject", "")) or "…"
        send_mail(
            sender, lambda: _l("Not posted: %(subject)s", subject=subject), "mail/reply_refused", category=REPLY_REFUSED,
            headers={"In-Reply-To": message_id, "References": message_id}, reason=reason,
        )  # fmt: skip
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    logger.info("Inbound mail %s refused: %s", message_id, reason)
    return "refused"


def _is_automatic(message) -> bool:
    """RFC 3834 auto-replies, bulk mail and bounces: never posted, never answered."""
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (
        auto_submitted != "no" or precedence in AUTO_PRECEDENCE
        or message.get("X-Autoreply") is not None or message.get("X-Autorespond") is not None
        or str(message.get("Return-Path", "")).strip() == "<>"
    )  # fmt: skip


def _our_address(message, recipients: list[str] | None) -> str | None:
    """The reply address the message was sent to: from the SMTP envelope, else the headers."""
    candidates = list(recipients or [])
    for header in ("Delivered-To", "X-Original-To", "To", "Cc"):
        candidates += [address for _name, address in getaddresses(message.get_all(header, []))]
    return next((address for address in candidates if ADDRESS.match(address.strip())), None)


def _message_id(message, raw: bytes) -> str:
    value = str(message.get("Message-ID", "")).strip()
    return value[:255] if value else f"<sha256-{hashlib.sha256(raw).hexdigest()}@inbound>"


def reply_text(message) -> str:
    """The new text of a reply: the plain-text part (or the HTML part as text) without the quoted
    message and the signature."""
    part = message.get_body(("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_subtype() == "html":
        content = _html_as_text(content)
    content = content.replace("\r\n", "\n")
    parsed = EmailReplyParser(languages=QUOTE_LANGUAGES).read(content)
    text = parsed.replies[0].body if parsed.replies else content
    lines = [line for line in text.split("\n") if not line.startswith(">")]
    return "\n".join(lines).strip()


BLOCK_END = re.compile(r"<br\s*/?>|</(p|div|li|blockquote|h[1-6])>", re.IGNORECASE)


def _html_as_text(html: str) -> str:
    """An HTML-only reply as text: line breaks where blocks end, tags and quoted blocks dropped."""
    html = re.sub(r"<blockquote.*?</blockquote>", "", html, flags=re.IGNORECASE | re.DOTALL)
    return unescape(bleach.clean(BLOCK_END.sub("\n", html), tags=set(), strip=True))
