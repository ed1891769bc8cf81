"""Bookmarks: on a thread or a post (with an optional reminder), removed again, listed on /bookmarks."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.permissions import get_or_404, require
from app.core.refusals import write
from app.core.urls import safe_next
from app.discussions import bookmarks, bp, feeds
from app.discussions.models import Bookmark
from app.discussions.routes import _load_post, _load_thread


def _back(default: str) -> str:
    return safe_next(request.form.get("next")) or default


def _bookmark(page: str, **target):
    return write(
        None, lambda: bookmarks.add_bookmark(current_user, remind=request.form.get("remind"), **target),
        success=_back(page), message=_("Bookmarked."),
    )  # fmt: skip


@bp.route("/p/<int:post_id>/bookmark", methods=["POST"])
@login_required
def bookmark_post(post_id):
    """Bookmark a post, or change its reminder (`remind`: hour, tomorrow, week or nothing)."""
    post = _load_post(post_id)
    return _bookmark(url_for("discussions.permalink", post_id=post.id), post=post)


@bp.route("/t/<int:thread_id>/bookmark", methods=["POST"])
@login_required
def bookmark_thread(thread_id):
    """Bookmark a thread, or change its reminder."""
    thread = _load_thread(thread_id)
    return _bookmark(url_for("discussions.show_thread", thread_id=thread.id), thread=thread)


@bp.route("/bookmarks/<int:bookmark_id>/remove", methods=["POST"])
@login_required
def remove_bookmark(bookmark_id):
    """Remove one of one's own bookmarks."""
    row = get_or_404(Bookmark, bookmark_id)
    require(row.user_id == current_user.id, hide=True)
    return write(
        None, lambda: bookmarks.remove_bookmark(row),
        success=_back(url_for("discussions.bookmarks_page")), message=_("The bookmark is removed."),
    )  # fmt: skip


@bp.route("/bookmarks")
@login_required
def bookmarks_page():
    """The member's bookmarks, newest first, each with its reminder."""
    return render_template(
        "discussions/bookmarks.html",
        bookmarks=bookmarks.bookmarks_of(current_user),
        reminders=bookmarks.REMINDERS,
        **feeds.bookmarks_feed_page_context(current_user),
    )
