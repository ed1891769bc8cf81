"""Notification actions and the subscribers that create them from discussion signals."""

import json
import logging

from flask import current_app

from app.auth.models import User
from app.communities.models import CommunityFollow
from app.core import signals
from app.core.text import mentions_in_order
from app.core.time import isoformat, utcnow
from app.discussions.models import Post, ThreadFollow
from app.extensions import db
from app.notifications import kinds
from app.notifications.models import Notification
from app.realtime import rooms
from app.realtime.services import publish

logger = logging.getLogger(__name__)

# Kinds the centre describes itself (templates/notifications/_describe.html); domains register
# theirs with `app.notifications.kinds.register` (consultation, moderation).
KINDS = (
    "reply", "mention", "new_thread", "thread_reply", "warning",
    "account_approved", "post_approved", "post_rejected",
)  # fmt: skip


def unread_count(user_id: int) -> int:
    return db.session.execute(
        db.select(db.func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    ).scalar()


def notify(user_id: int, kind: str, actor=None, url: str = "", **data) -> Notification:
    """Store a notification and push it (with the new unread count) to the user's room after commit.

    The one way a notification is made: `kind` is one of KINDS or registered by its domain."""
    if kind not in KINDS and not kinds.is_registered(kind):
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


def _recipients_who_can_read(user_ids, thread) -> list[User]:
    if not user_ids:
        return []
    users = db.session.execute(db.select(User).where(User.id.in_(user_ids))).scalars()
    return [user for user in users if thread.can_read(user)]


def on_post_created(post: Post, actor, **_):
    """Reply to your post, @mention, and new reply in a followed thread — at most one notification each."""
    thread = post.thread
    url = f"/p/{post.id}"
    notified = {actor.id}
    common = {"thread_id": thread.id, "thread_title": thread.title, "post_id": post.id}
    parent = db.session.get(Post, post.parent_id) if post.parent_id else None
    if parent is not None and parent.author_id not in notified:
        for user in _recipients_who_can_read([parent.author_id], thread):
            notify(user.id, "reply", actor, url, **common)
            notified.add(user.id)
    _notify_mentions(post.body_source, thread, actor, url, notified, common)
    follower_ids = set(
        db.session.execute(db.select(ThreadFollow.user_id).filter_by(thread_id=thread.id)).scalars()
    )
    for user in _recipients_who_can_read(follower_ids - notified, thread):
        notify(user.id, "thread_reply", actor, url, **common)


def _notify_mentions(source, thread, actor, url, notified, common):
    """The first MAX_MENTION_NOTIFICATIONS people mentioned are told, in one query: a post of
    thousands of @mentions neither floods inboxes nor runs a query per name."""
    names = mentions_in_order(source)[: current_app.config["MAX_MENTION_NOTIFICATIONS"]]
    if not names:
        return
    users = db.session.execute(
        db.select(User).where(db.func.lower(User.username).in_(names)).order_by(User.id)
    ).scalars()
    for user in users:
        if user.id not in notified and thread.can_read(user):
            notify(user.id, "mention", actor, url, **common)
            notified.add(user.id)


def on_thread_created(thread, actor, post, **_):
    """New thread in a followed community; mentions in the opening post."""
    url = f"/t/{thread.id}"
    common = {"thread_id": thread.id, "thread_title": thread.title, "community": thread.community.code}
    notified = {actor.id}
    _notify_mentions(post.body_source, thread, actor, url, notified, common)
    follower_ids = set(
        db.session.execute(
            db.select(CommunityFollow.user_id).filter_by(community_id=thread.community_id)
        ).scalars()
    )
    for user in _recipients_who_can_read(follower_ids - notified, thread):
        notify(user.id, "new_thread", actor, url, **common)


def connect_signals() -> None:
    signals.post_created.connect(on_post_created, weak=False)
    signals.thread_created.connect(on_thread_created, weak=False)
