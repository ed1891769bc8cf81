"""Discussions' webhook events: thread created, post created, edited, hidden or deleted.

Only what a visitor may read leaves the site: an event is emitted for threads of communities a
visitor may read, and each delivery describes the object as a visitor sees it when it is sent (a
post hidden meanwhile goes without its text; one in a thread gone from view, as gone).
"""

from flask_babel import lazy_gettext as _l

from app import webhooks
from app.core import signals
from app.core.permissions import VISITOR
from app.discussions.bodies import bodies_html
from app.discussions.models import Post, Thread
from app.extensions import db
from app.mail import site_url


def _iso(moment):
    return moment.isoformat() + "Z" if moment is not None else None


def describe_thread(thread_id: int) -> dict | None:
    thread = db.session.get(Thread, thread_id)
    if thread is None or not thread.can_read(VISITOR):
        return None
    return {
        "id": thread.id, "title": thread.title, "community": thread.community.slug,
        "author": thread.author.username, "created_at": _iso(thread.created_at),
        "post_count": thread.post_count, "url": site_url("discussions.show_thread", thread_id=thread.id),
    }  # fmt: skip


def describe_post(post_id: int) -> dict | None:
    post = db.session.get(Post, post_id)
    if post is None or not post.can_read(VISITOR):
        return None
    shown = not post.is_removed
    return {
        "id": post.id, "thread": describe_thread(post.thread_id), "parent_id": post.parent_id,
        "author": post.author.username, "created_at": _iso(post.created_at), "edited_at": _iso(post.edited_at),
        "removed": post.is_removed, "body": post.body_source if shown else None,
        "body_html": bodies_html([post])[post.id] if shown else None,
        "url": site_url("discussions.permalink", post_id=post.id),
    }  # fmt: skip


def _public(thread) -> bool:
    return thread.community.can_read(VISITOR)


def _thread_created(thread, **_kwargs):
    if _public(thread):
        webhooks.emit("thread.created", thread.id)


def _post_created(post, **_kwargs):
    if _public(post.thread):
        webhooks.emit("post.created", post.id)


def _post_edited(post, **_kwargs):
    if _public(post.thread):
        webhooks.emit("post.edited", post.id)


def _post_removed(post, **_kwargs):
    if _public(post.thread):
        webhooks.emit("post.hidden" if post.hidden_at is not None else "post.deleted", post.id)


SUBSCRIPTIONS = [
    (signals.thread_created, _thread_created),
    (signals.post_created, _post_created),
    (signals.post_edited, _post_edited),
    (signals.post_removed, _post_removed),
]


def register() -> None:
    webhooks.register_event("thread.created", _l("A thread is started"), "thread", describe_thread)
    webhooks.register_event("post.created", _l("A post is written"), "post", describe_post)
    webhooks.register_event("post.edited", _l("A post is edited"), "post", describe_post)
    webhooks.register_event("post.hidden", _l("A post is hidden by a moderator"), "post", describe_post)
    webhooks.register_event("post.deleted", _l("A post is deleted by its author"), "post", describe_post)
