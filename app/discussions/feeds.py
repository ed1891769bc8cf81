"""Atom feeds of discussions: the site's latest posts, a community's new threads, a thread's posts,
and a member's bookmarked threads at a secret address.

Each is what an anonymous reader may see (`readable_clause` of a visitor), however the request
came: feed readers share and cache feeds. The bookmarks feed is its owner's, named by the secret in
its address (`FeedKey`); replacing the address ends the old one.
"""

import secrets

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from app import feeds
from app.communities.routes import load_readable_community
from app.core.permissions import VISITOR
from app.core.refusals import write
from app.core.time import utcnow
from app.discussions import bp
from app.discussions.bodies import bodies_html
from app.discussions.models import Bookmark, FeedKey, Post, Thread
from app.extensions import db


def _entries(posts: list[Post]) -> list[feeds.Entry]:
    html = bodies_html(posts)
    return [
        feeds.Entry(
            id=url_for("discussions.permalink", post_id=post.id, _external=True),
            title=post.thread.title if post.is_opening else _("Re: %(title)s", title=post.thread.title),
            url=url_for("discussions.permalink", post_id=post.id, _external=True),
            published=post.created_at,
            updated=post.edited_at,
            author=post.author.name,
            html=html[post.id],
        )  # fmt: skip
        for post in posts
    ]


def _latest_posts(*conditions) -> list[Post]:
    return list(
        db.session.execute(
            db.select(Post)
            .join(Post.thread)
            .options(joinedload(Post.author), joinedload(Post.thread))
            .where(Post.readable_clause(VISITOR), *conditions)
            .order_by(Post.id.desc())
            .limit(feeds.ENTRIES_MAX)
        ).scalars()
    )


@bp.route("/feed.atom")
def site_feed():
    """The latest posts anywhere a visitor may read."""
    return feeds.atom(
        _("Majlis: latest posts"), url_for("communities.index", _external=True), _entries(_latest_posts())
    )


@bp.route("/c/<slug>/feed.atom")
def community_feed(slug):
    """A community's new threads (their opening posts), newest first."""
    community = load_readable_community(slug)
    if not community.can_read(VISITOR):
        abort(404)
    posts = _latest_posts(Thread.community_id == community.id, Post.parent_id.is_(None))
    return feeds.atom(
        _("%(community)s: new threads", community=community.title()),
        url_for("communities.show", slug=community.slug, _external=True), _entries(posts),
    )  # fmt: skip


@bp.route("/t/<int:thread_id>/feed.atom")
def thread_feed(thread_id):
    """A thread's latest posts."""
    thread = db.session.get(Thread, thread_id)
    if thread is None or not thread.can_read(VISITOR):
        abort(404)
    return feeds.atom(
        thread.title, url_for("discussions.show_thread", thread_id=thread.id, _external=True),
        _entries(_latest_posts(Post.thread_id == thread.id)),
    )  # fmt: skip


# The member's bookmarks, at a secret address ---------------------------------------------------------


def feed_key_of(user) -> FeedKey | None:
    return db.session.get(FeedKey, user.id) if user.is_authenticated else None


def new_feed_key(user) -> FeedKey:
    """Give the member a (new) secret feed address; the old one stops working."""
    row = db.session.get(FeedKey, user.id)
    if row is None:
        row = FeedKey(user_id=user.id)
        db.session.add(row)
    row.key = secrets.token_urlsafe(32)
    row.created_at = utcnow()
    db.session.flush()
    return row


@bp.route("/bookmarks/feed", methods=["POST"])
@login_required
def replace_bookmarks_feed():
    """Make (or replace) the secret address of the member's bookmarks feed."""
    member = current_user._get_current_object()
    return write(
        None, lambda: new_feed_key(member), success=url_for("discussions.bookmarks_page", _anchor="feed"),
        message=_("Your bookmarks feed has a new address; the old one no longer works."),
    )  # fmt: skip


@bp.route("/bookmarks/feed/<key>.atom")
def bookmarks_feed(key):
    """The threads the key's owner bookmarked, each as its latest post they may still read."""
    row = (
        db.session.execute(db.select(FeedKey).filter_by(key=key)).scalar_one_or_none()
        if len(key) < 100
        else None
    )
    if row is None or not row.user.is_active:
        abort(404)
    owner = row.user
    marks = db.session.execute(
        db.select(Bookmark).where(Bookmark.user_id == owner.id, Bookmark.thread_id.is_not(None))
    ).scalars()
    threads = [mark.thread for mark in marks if mark.thread.can_read(owner)]
    latest = []
    for thread in threads[: feeds.ENTRIES_MAX]:
        post = db.session.execute(
            db.select(Post).where(Post.thread_id == thread.id, Post.readable_clause(owner)).join(Post.thread)
            .order_by(Post.id.desc()).limit(1)
        ).scalar_one_or_none()  # fmt: skip
        if post is not None:
            latest.append(post)
    latest.sort(key=lambda post: post.id, reverse=True)
    return feeds.atom(
        _("Bookmarks of %(name)s", name=owner.name), url_for("discussions.bookmarks_page", _external=True),
        _entries(latest), private=True,
    )  # fmt: skip


def bookmarks_feed_page_context(user) -> dict:
    """What the bookmarks page shows of the feed: its secret address, if the member made one."""
    row = feed_key_of(user)
    if row is None:
        return {"feed_url": None, "feed_path": None}
    return {
        "feed_url": url_for("discussions.bookmarks_feed", key=row.key, _external=True),
        "feed_path": url_for("discussions.bookmarks_feed", key=row.key),
    }
