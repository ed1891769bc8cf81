"""What discussions tell members: replies to them, @mentions, replies in threads and new threads in
communities they follow. The kinds and their sentences are registered with the notification centre.

The subscribers only enqueue a job in the post's transaction, so a reply costs the same with one
follower or ten thousand; the job (app/jobs) works out the recipients after the commit, the
followers in one statement, and skips a post that was taken down in the meantime.
"""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import jobs
from app.auth.models import User
from app.communities.models import CommunityFollow
from app.core import signals
from app.core.text import mentions_in_order
from app.discussions.models import Post, ThreadFollow
from app.extensions import db
from app.i18n import translated
from app.notifications import kinds
from app.notifications.services import notify, notify_many
from app.realtime import rooms


def _recipients_who_can_read(user_ids, thread) -> list[User]:
    if not user_ids:
        return []
    users = db.session.execute(db.select(User).where(User.id.in_(user_ids))).scalars()
    return [user for user in users if thread.can_read(user)]


POST_FAN_OUT = "discussions.post_notices"
THREAD_FAN_OUT = "discussions.thread_notices"


def on_post_created(post: Post, actor, **_):
    jobs.enqueue(POST_FAN_OUT, post_id=post.id, actor_id=actor.id)


def on_thread_created(thread, actor, post, **_):
    jobs.enqueue(THREAD_FAN_OUT, post_id=post.id, actor_id=actor.id)


def _published(post_id, actor_id):
    """The post and its author, or None when either is gone or the post is no longer public."""
    post, actor = db.session.get(Post, post_id), db.session.get(User, actor_id)
    if post is None or actor is None or post.is_removed or post.is_held:
        return None
    if not post.thread.is_visible or post.thread.is_held:
        return None
    return post, actor


def notify_post(post_id: int, actor_id: int) -> None:
    """Reply to your post, @mention, and new reply in a followed thread — at most one notification each."""
    found = _published(post_id, actor_id)
    if found is None:
        return
    post, actor = found
    thread = post.thread
    url = f"/p/{post.id}"
    notified = {actor.id}
    common = {"thread_id": thread.id, "thread_title": thread.title, "post_id": post.id}
    notified |= _muted(thread)
    parent = db.session.get(Post, post.parent_id) if post.parent_id else None
    if parent is not None and parent.author_id not in notified:
        for user in _recipients_who_can_read([parent.author_id], thread):
            notify(user.id, "reply", actor, url, **common)
            notified.add(user.id)
    _notify_mentions(post.body_source, thread, actor, url, notified, common)
    watchers = _followers(
        ThreadFollow,
        db.and_(ThreadFollow.thread_id == thread.id, ThreadFollow.level == "watching"),
        thread,
        notified,
    ).union(
        _followers(
            CommunityFollow,
            db.and_(CommunityFollow.community_id == thread.community_id, CommunityFollow.level == "watching"),
            thread,
            notified,
        ).where(_not_muting_thread(thread, CommunityFollow.user_id))
    )
    notify_many(watchers, "thread_reply", actor, url, **common)


def _followers(follow, followed, thread, notified):
    """SQL: the ids of those following (`follow` rows matching `followed`) who were not told yet and
    may read the thread's community: one statement, however many they are."""
    return db.select(follow.user_id).where(
        followed, follow.user_id.not_in(notified), thread.community.readers_clause(follow.user_id)
    )


def _not_muting_thread(thread, user_id):
    muting = db.select(ThreadFollow.user_id).where(
        ThreadFollow.thread_id == thread.id, ThreadFollow.level == "muted"
    )
    return user_id.not_in(muting)


def _muted(thread) -> set[int]:
    """Those who muted the thread or its community: nothing about it notifies them."""
    rows = db.session.execute(
        db.select(ThreadFollow.user_id)
        .where(ThreadFollow.thread_id == thread.id, ThreadFollow.level == "muted")
        .union(
            db.select(CommunityFollow.user_id).where(
                CommunityFollow.community_id == thread.community_id, CommunityFollow.level == "muted"
            )
        )
    ).scalars()
    return set(rows)


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


def notify_thread(post_id: int, actor_id: int) -> None:
    """New thread in a followed community; mentions in the opening post."""
    found = _published(post_id, actor_id)
    if found is None:
        return
    post, actor = found
    thread = post.thread
    url = f"/t/{thread.id}"
    common = {
        "thread_id": thread.id, "thread_title": thread.title, "community": thread.community.code, "post_id": post.id,
    }  # fmt: skip
    notified = {actor.id} | _muted(thread)
    _notify_mentions(post.body_source, thread, actor, url, notified, common)
    followers = _followers(
        CommunityFollow,
        db.and_(
            CommunityFollow.community_id == thread.community_id,
            CommunityFollow.level.in_(("watching", "new_threads")),
        ),
        thread,
        notified,
    )
    notify_many(followers, "new_thread", actor, url, **common)


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

# How each kind goes out by mail: its group (members choose per group), and the group's default.
MAIL_GROUPS = [
    ("reply", _l("Replies to my posts"), "immediate", 10, ["reply"]),
    ("mention", _l("Mentions of me"), "immediate", 20, ["mention"]),
    ("followed_thread", _l("Replies in threads I follow"), "digest", 30, ["thread_reply"]),
    ("followed_community", _l("New threads in communities I follow"), "digest", 40, ["new_thread"]),
]


def _post_of(notification) -> Post | None:
    """The post a notification is about, if it is still published (the opening post for a new thread)."""
    post_id = notification.data.get("post_id")
    if not isinstance(post_id, int):
        return None
    post = db.session.get(Post, post_id)
    if post is None or _published(post.id, post.author_id) is None:
        return None
    return post


def _still_stands(notification, user) -> bool:
    """Mail only what the member may read now: taken down since, or the thread closed to them, mails nothing."""
    post = _post_of(notification)
    return post is not None and post.thread.can_read(user)


def _excerpt(notification):
    post = _post_of(notification)
    return post.body_html if post is not None else None


def _reply_target(notification):
    """A reply by mail answers the post the notification is about, in its thread."""
    thread_id, post_id = notification.data.get("thread_id"), notification.data.get("post_id")
    return (thread_id, post_id) if isinstance(thread_id, int) and isinstance(post_id, int) else None


def _room(notification):
    thread_id = notification.data.get("thread_id")
    return rooms.thread(thread_id) if isinstance(thread_id, int) else None


def register() -> None:
    """Discussions' notification kinds and the jobs that send them (subscribers.py connects SUBSCRIPTIONS)."""
    mailed = {}
    for group, label, default, position, group_kinds in MAIL_GROUPS:
        kinds.register_mail_group(group, label, default, position)
        mailed.update(
            {
                kind: kinds.MailedKind(group, _still_stands, _excerpt, _room, reply_target=_reply_target)
                for kind in group_kinds
            }
        )
    for kind in SENTENCES:
        kinds.register(kind, _describe, mail=mailed.get(kind))
    jobs.register(POST_FAN_OUT, notify_post)
    jobs.register(THREAD_FAN_OUT, notify_thread)
