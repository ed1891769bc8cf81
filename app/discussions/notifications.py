"""What discussions tell members: replies to them, @mentions, replies in threads and new threads in
communities they follow. The kinds and their sentences are registered with the notification centre;
the subscribers run inside the post's transaction, and `notify()` stores rows and queues the pushes.
"""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.communities.models import CommunityFollow
from app.core import signals
from app.core.text import mentions_in_order
from app.discussions.models import Post, ThreadFollow
from app.extensions import db
from app.i18n import translated
from app.notifications import kinds
from app.notifications.services import notify


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


SENTENCES = {
    "reply": _l("%(who)s replied to your post in “%(title)s”"),
    "mention": _l("%(who)s mentioned you in “%(title)s”"),
    "thread_reply": _l("%(who)s replied in “%(title)s”, which you follow"),
    "new_thread": _l("%(who)s started “%(title)s” in %(community)s"),
}


def _describe(n):
    """The kind's sentence: who did it, in which thread (and community, for a new thread)."""
    return kinds.sentence(
        str(SENTENCES[n.kind]),
        who=n.actor.name if n.actor else _("Someone"),
        title=n.data.get("thread_title", ""),
        community=translated(n.data.get("community", "")),
    )


SUBSCRIPTIONS = [(signals.post_created, on_post_created), (signals.thread_created, on_thread_created)]


def register() -> None:
    """Discussions' notification kinds (subscribers.py connects SUBSCRIPTIONS)."""
    for kind in SENTENCES:
        kinds.register(kind, _describe)
