"""Notifications by mail, at once but batched: a notification of a mailed kind schedules a sweep
MAIL_BATCH_SECONDS later; the sweep writes each member one message per group of everything still
unread and unmailed (several replies in a thread within the window make one mail), skipping what
they read meanwhile, what they are reading live right now, and what was taken down since.

Members choose per group (`kinds.register_mail_group`): off, or at once. Every message carries a
signed one-click unsubscribe link for its group (RFC 8058) that works without signing in.
"""

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import ngettext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import event
from sqlalchemy.orm import Session

from app import jobs
from app.core.time import utcnow
from app.extensions import db
from app.mail import inbound, send_to_user, site_url, unsubscribe_headers
from app.notifications import kinds
from app.notifications.models import IMMEDIATE, OFF, MailPreference, Notification
from app.realtime import presence

logger = logging.getLogger(__name__)

SEND_DUE = "notifications.mail"
_SCHEDULED = "majlis_notification_mail_scheduled"


def schedule(kind: str) -> None:
    """After a notification of `kind` is written: a sweep once the batch window has passed (one per transaction)."""
    if kinds.mailed_kind(kind) is None:
        return
    session = db.session()
    if session.info.get(_SCHEDULED):
        return
    session.info[_SCHEDULED] = True
    jobs.enqueue(SEND_DUE, delay=current_app.config["MAIL_BATCH_SECONDS"])


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_schedule(session, *_args) -> None:
    session.info.pop(_SCHEDULED, None)


# Preferences -----------------------------------------------------------------------------------------


def preferences_of(user_id: int) -> dict[str, str]:
    """{group: delivery} for every mail group, the member's choice or the group's default."""
    chosen = dict(
        db.session.execute(
            db.select(MailPreference.group, MailPreference.delivery).where(MailPreference.user_id == user_id)
        ).all()
    )
    return {group.name: chosen.get(group.name, group.default) for group in kinds.mail_groups()}


def set_preference(user_id: int, group: str, delivery: str) -> None:
    row = db.session.get(MailPreference, (user_id, group))
    if row is None:
        db.session.add(MailPreference(user_id=user_id, group=group, delivery=delivery))
    else:
        row.delivery = delivery
    db.session.flush()


def unsubscribe_token(user_id: int, group: str) -> str:
    return _unsubscribe_serializer().dumps({"u": user_id, "g": group})


def _user(user_id: int):
    """The member with this id (the users table belongs to auth, a domain this package does not import)."""
    return db.session.get(Notification.user.property.mapper.class_, user_id)


DIGEST_GROUP = "digest"  # an unsubscribe link in a digest names this: it turns the digest off


def unsubscribe_target(token: str) -> tuple[object, str] | None:
    """(member, group name) a valid unsubscribe link names (a mail group, or DIGEST_GROUP), or None."""
    try:
        data = _unsubscribe_serializer().loads(token or "")
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not 0 < data["u"] < 2**31:
        return None
    user, group = _user(data["u"]), str(data.get("g"))
    if user is None or (group != DIGEST_GROUP and kinds.mail_group(group) is None):
        return None
    return user, group


def _unsubscribe_serializer() -> URLSafeSerializer:
    """No expiry: a List-Unsubscribe link must work for as long as the mail is kept."""
    return URLSafeSerializer(current_app.secret_key, salt="majlis.notifications.unsubscribe")


# The sweep -------------------------------------------------------------------------------------------


def send_due_mail() -> None:
    """The `notifications.mail` job: mail every member who has a mailed notification older than
    the batch window, with everything of theirs still unmailed (the younger ones ride along)."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["MAIL_BATCH_SECONDS"])
    mailed = list(kinds.mailed_kinds())
    user_ids = (
        db.session.execute(
            db.select(Notification.user_id)
            .where(
                Notification.mailed_at.is_(None),
                Notification.kind.in_(mailed),
                Notification.created_at <= cutoff,
            )
            .distinct()
        )
        .scalars()
        .all()
    )
    for user_id in user_ids:
        _mail_member(_user(user_id), mailed)


def _mail_member(user, mailed: list[str]) -> None:
    pending = (
        db.session.execute(
            db.select(Notification)
            .where(
                Notification.user_id == user.id,
                Notification.mailed_at.is_(None),
                Notification.kind.in_(mailed),
            )
            .order_by(Notification.id)
        )
        .scalars()
        .all()
    )
    deliveries, now, batches = preferences_of(user.id), utcnow(), {}
    for notification in pending:
        notification.mailed_at = now  # decided once: mailed now, or not to be mailed
        kind = kinds.mailed_kind(notification.kind)
        if deliveries.get(kind.group, OFF) == IMMEDIATE and _worth_mailing(notification, kind, user):
            target = kind.reply_target(notification) if kind.reply_target else None
            batches.setdefault((kind.group, target[0] if target else None), []).append(notification)
    for (group, _thread), notifications in batches.items():
        _send_batch(user, kinds.mail_group(group), notifications)
    db.session.flush()


def _worth_mailing(notification: Notification, kind: kinds.MailedKind, user) -> bool:
    """Unread, still standing, not being read live, to an address the member confirmed."""
    if notification.read_at is not None or not user.email_confirmed:
        return False
    if not user.is_active and not (kind.reaches_suspended and user.is_approved):
        return False
    if not kind.still_stands(notification, user):
        return False
    room = kind.room(notification) if kind.room else None
    return not (room and presence.store().is_reading(room, user.id))


def _send_batch(user, group: kinds.MailGroup, notifications: list[Notification]) -> None:
    """One message: a group's notifications about one thread (or about nothing that can be answered);
    a reply to it answers the latest of them."""
    items = [  # the sentences are written by the template, in the recipient's language
        {"notification": n, "link": _absolute(n.url), "excerpt": kinds.mailed_kind(n.kind).excerpt(n)}
        for n in notifications
    ]
    unsubscribe = site_url("notifications.unsubscribe", token=unsubscribe_token(user.id, group.name))

    def subject():
        first = kinds.describe(notifications[0]).striptags()
        more = len(notifications) - 1
        return (
            first
            if not more
            else ngettext("%(first)s (and %(num)d more)", "%(first)s (and %(num)d more)", more, first=first)
        )

    headers = unsubscribe_headers(unsubscribe)
    last = kinds.mailed_kind(notifications[-1].kind)
    target = last.reply_target(notifications[-1]) if last.reply_target else None
    reply_to = inbound.reply_address(user.id, *target) if target else None
    if reply_to:
        headers["Reply-To"] = reply_to
    send_to_user(
        user, subject, "notifications/mail/notices", category=group.name, headers=headers, items=items,
        group=group, unsubscribe_link=unsubscribe, settings_link=site_url("notifications.mail_settings"),
        answerable=bool(reply_to),
    )  # fmt: skip
    logger.info("Mailed %s %d notification(s) of group %s", user, len(items), group.name)


def _absolute(url: str) -> str:
    return current_app.config["SITE_URL"] + url if url.startswith("/") else site_url("notifications.index")
