"""Notification actions: store a notification and push it; mark read. Domains register their kinds
(`app.notifications.kinds`) and send them from their own subscribers."""

import json
import logging

from app.core.time import isoformat, utcnow
from app.extensions import db
from app.notifications import kinds, mail
from app.notifications.models import Notification
from app.realtime import rooms
from app.realtime.services import publish

logger = logging.getLogger(__name__)


def unread_count(user_id: int) -> int:
    return db.session.execute(
        db.select(db.func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    ).scalar()


def notify(user_id: int, kind: str, actor=None, url: str = "", **data) -> Notification:
    """Store a notification and push it (with the new unread count) to the user's room after commit.

    The one way a notification is made: `kind` is registered by the domain that sends it."""
    if not kinds.is_registered(kind):
        raise ValueError(f"unknown notification kind {kind!r}: register it with app.notifications.kinds")
    notification = Notification(
        user_id=user_id,
        kind=kind,
        actor_id=getattr(actor, "id", None),
        url=url,
        data_json=json.dumps(data, ensure_ascii=False),
        created_at=utcnow(),
    )
    db.session.add(notification)
    db.session.flush()
    mail.schedule(kind)
    publish(
        rooms.user(user_id),
        "notification",
        {
            "id": notification.id,
            "kind": kind,
            "actor": actor.name if actor is not None else None,
            "url": url,
            "data": data,
            "created_at": isoformat(notification.created_at),
            "unread": unread_count(user_id),
        },
    )
    return notification


def notify_many(user_ids, kind: str, actor=None, url: str = "", **data) -> int:
    """`notify` for every user a select of ids returns (a thread's followers): the rows in one
    multi-row INSERT, the unread counts in one grouped query, then one push per user."""
    if not kinds.is_registered(kind):
        raise ValueError(f"unknown notification kind {kind!r}: register it with app.notifications.kinds")
    recipients = db.session.execute(user_ids).scalars().all()
    if not recipients:
        return 0
    created_at, data_json = utcnow(), json.dumps(data, ensure_ascii=False)
    common = {"kind": kind, "actor_id": getattr(actor, "id", None), "url": url, "data_json": data_json}
    rows = [{"user_id": user_id, "created_at": created_at, **common} for user_id in recipients]
    created = db.session.execute(
        db.insert(Notification).returning(Notification.id, Notification.user_id), rows
    ).all()
    unread = _unread_counts(user_ids)
    mail.schedule(kind)
    for notification_id, user_id in created:
        publish(
            rooms.user(user_id),
            "notification",
            {
                "id": notification_id, "kind": kind, "actor": actor.name if actor is not None else None,
                "url": url, "data": data, "created_at": isoformat(created_at), "unread": unread.get(user_id, 0),
            },
        )  # fmt: skip
    return len(created)


def _unread_counts(user_ids) -> dict[int, int]:
    return dict(
        db.session.execute(
            db.select(Notification.user_id, db.func.count(Notification.id))
            .where(Notification.user_id.in_(user_ids), Notification.read_at.is_(None))
            .group_by(Notification.user_id)
        ).all()
    )


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
        _publish_count(notification.user_id)


def mark_all_read(user) -> int:
    updated = db.session.execute(
        db.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    ).rowcount
    db.session.flush()
    _publish_count(user.id)
    return updated


def _publish_count(user_id: int) -> None:
    publish(rooms.user(user_id), "notification_count", {"unread": unread_count(user_id)})
