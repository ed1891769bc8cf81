"""Bookmarks on threads and posts, each with an optional reminder: at the time the member chose, a
notification brings them back (a job enqueued with the bookmark, so nothing polls). The post footer
shows "Bookmark" or "Bookmarked" through a post control; `/bookmarks` lists them."""

from datetime import timedelta

from flask import g, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import jobs
from app.core.refusals import Refused
from app.core.time import utcnow
from app.discussions.models import Bookmark, Post
from app.discussions.post_html import register_control
from app.extensions import db
from app.notifications import kinds
from app.notifications.services import notify

REMIND_JOB = "discussions.bookmark_reminder"
REMINDER_KIND = "bookmark_reminder"
# The reminder choices: (value, label, delay from now)
REMINDERS = (
    ("", _l("No reminder"), None),
    ("hour", _l("In an hour"), timedelta(hours=1)),
    ("tomorrow", _l("Tomorrow"), timedelta(days=1)),
    ("week", _l("In a week"), timedelta(days=7)),
)


class BookmarkRefused(Refused):
    """A bookmark that cannot be made; the message says why."""


def remind_delay(choice: str | None) -> timedelta | None:
    for value, _label, delay in REMINDERS:
        if value == (choice or ""):
            return delay
    raise BookmarkRefused(_l("Choose one of the reminder times offered."))


def bookmark_of(user, thread=None, post=None) -> Bookmark | None:
    if not user.is_authenticated:
        return None
    if post is None:
        return viewer_bookmarks(user, thread)[0]
    column, target = (Bookmark.post_id, post) if post is not None else (Bookmark.thread_id, thread)
    return db.session.execute(
        db.select(Bookmark).where(Bookmark.user_id == user.id, column == target.id)
    ).scalar_one_or_none()


def add_bookmark(user, thread=None, post=None, remind: str | None = None) -> Bookmark:
    """Bookmark a thread or a post (again: its reminder is replaced); with `remind`, a notification
    at that time."""
    target = post if post is not None else thread
    if not user.is_authenticated or not target.can_read(user):
        raise BookmarkRefused(_l("You cannot bookmark this."))
    delay = remind_delay(remind)
    row = bookmark_of(user, thread=thread, post=post)
    if row is None:
        row = Bookmark(user_id=user.id, thread_id=thread.id if post is None else None,
                       post_id=post.id if post is not None else None, created_at=utcnow())  # fmt: skip
        db.session.add(row)
    row.remind_at = utcnow() + delay if delay else None
    row.reminded_at = None
    db.session.flush()
    if delay:
        jobs.enqueue(REMIND_JOB, delay=delay.total_seconds(), bookmark_id=row.id)
    return row


def remove_bookmark(row: Bookmark) -> None:
    db.session.delete(row)
    db.session.flush()


def bookmarks_of(user) -> list[Bookmark]:
    """The member's bookmarks, newest first, those they may no longer read left out."""
    rows = db.session.execute(
        db.select(Bookmark)
        .where(Bookmark.user_id == user.id)
        .order_by(Bookmark.created_at.desc(), Bookmark.id.desc())
    ).scalars()
    return [row for row in rows if row.can_view(user)]


def send_reminder(bookmark_id: int) -> None:
    """The job: at the chosen time, a notification — unless the bookmark is gone, its time was
    changed (a later job carries the new one), or the member may no longer read it."""
    row = db.session.get(Bookmark, bookmark_id)
    if row is None or row.remind_at is None or row.reminded_at is not None or row.remind_at > utcnow():
        return
    row.reminded_at = utcnow()
    if not row.can_view(row.user):
        return
    target = row.target
    thread = target.thread if isinstance(target, Post) else target
    url = (
        url_for("discussions.permalink", post_id=target.id)
        if isinstance(target, Post)
        else (url_for("discussions.show_thread", thread_id=thread.id))
    )
    notify(row.user_id, REMINDER_KIND, url=url, thread_title=thread.title)
    db.session.flush()


def _describe(notification):
    return kinds.sentence(
        _("Reminder: you bookmarked “%(title)s”."), title=notification.data.get("thread_title", "")
    )


def viewer_bookmarks(viewer, thread) -> tuple[Bookmark | None, set[int]]:
    """The viewer's bookmark on this thread and their bookmarked posts in it: one query per request."""
    cache = g.setdefault("thread_bookmarks", {})
    if thread.id not in cache:
        rows = db.session.execute(
            db.select(Bookmark).where(
                Bookmark.user_id == viewer.id,
                db.or_(
                    Bookmark.thread_id == thread.id,
                    Bookmark.post_id.in_(db.select(Post.id).where(Post.thread_id == thread.id)),
                ),
            )
        ).scalars()
        found: tuple[Bookmark | None, set[int]] = (None, set())
        for row in rows:
            found = (row, found[1]) if row.thread_id is not None else found
            if row.post_id is not None:
                found[1].add(row.post_id)
        cache[thread.id] = found
    return cache[thread.id]


def _decide(viewer, post, thread):
    """None for visitors (no control); else whether the viewer bookmarked this post."""
    if not viewer.is_authenticated:
        return None
    return post.id in viewer_bookmarks(viewer, thread)[1]


def register() -> None:
    jobs.register(REMIND_JOB, send_reminder)
    kinds.register(REMINDER_KIND, _describe)
    register_control("discussions/_bookmark_control.html", _decide)
