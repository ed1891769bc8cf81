"""Posting rules (app/core/posting_rules.py): slow mode, new-account limits, repeated posts, and the
hold rule that keeps new posts for approval.

Moderators of the community are exempt from all of them. Limits come from config (see config.py);
a limit of 0 switches the rule off.
"""

import re
from datetime import timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import format_timedelta
from flask_babel import gettext as _

from app.core.posting_rules import PostingRefused, register, register_hold
from app.core.text import render_markdown
from app.core.time import utcnow
from app.discussions.models import Post, Thread, body_digest
from app.extensions import db
from app.files import services as files

_ANCHOR_RE = re.compile(r'<a\b[^>]*\bhref="(?!/u/)')
_ANCHOR_ELEMENT_RE = re.compile(r"<a\b.*?</a>", re.S)
_BARE_URL_RE = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)[^\s<]")


def count_links(body: str) -> int:
    """Links in a post: Markdown links and autolinks, plus bare URLs (linkified or not)."""
    html = render_markdown(body)
    return len(_ANCHOR_RE.findall(html)) + len(_BARE_URL_RE.findall(_ANCHOR_ELEMENT_RE.sub(" ", html)))


def _exempt(user, community) -> bool:
    return user.moderates(community)


class SlowMode(NamedTuple):
    """Slow mode in a thread as a reader meets it: the interval, whether it holds them, how long
    they still have to wait (formatted, or None)."""

    seconds: int
    exempt: bool
    wait: str | None


def slow_mode_wait(user, thread, community) -> timedelta | None:
    """How long `user` must still wait before posting in `thread` (None: they may post now)."""
    if thread is None or not thread.slow_mode_seconds or _exempt(user, community):
        return None
    last = db.session.execute(
        db.select(db.func.max(Post.created_at)).where(Post.thread_id == thread.id, Post.author_id == user.id)
    ).scalar()
    if last is None:
        return None
    wait = last + timedelta(seconds=thread.slow_mode_seconds) - utcnow()
    return wait if wait.total_seconds() > 0 else None


def _wait_text(wait: timedelta) -> str:
    return format_timedelta(wait, threshold=1.0, add_direction=False)


def slow_mode_for(thread, user) -> SlowMode | None:
    """The thread's slow mode for `user` (the thread page shows it before anyone is refused)."""
    if not thread.slow_mode_seconds:
        return None
    if not user.is_authenticated:
        return SlowMode(thread.slow_mode_seconds, False, None)
    exempt = _exempt(user, thread.community)
    wait = None if exempt else slow_mode_wait(user, thread, thread.community)
    return SlowMode(thread.slow_mode_seconds, exempt, _wait_text(wait) if wait else None)


def slow_mode(user, thread, body, community) -> None:
    """One post per member per `thread.slow_mode_seconds` in that thread."""
    wait = slow_mode_wait(user, thread, community)
    if wait is not None:
        raise PostingRefused(
            _("This thread is in slow mode: you can post here again in %(wait)s.", wait=_wait_text(wait))
        )


def repeated_post(user, thread, body, community) -> None:
    """Refuse a post identical to one the member wrote within DUPLICATE_POST_WINDOW_SECONDS."""
    window = current_app.config["DUPLICATE_POST_WINDOW_SECONDS"]
    if not window or _exempt(user, community):
        return
    repeated = db.session.execute(
        db.select(Post.id)
        .where(
            Post.author_id == user.id,
            Post.body_digest == body_digest(body),
            Post.created_at >= utcnow() - timedelta(seconds=window),
        )
        .limit(1)
    ).first()
    if repeated is not None:
        raise PostingRefused(_("You posted exactly this a moment ago. Write something new."))


def accepted_post_count(user, at_least: int) -> int:
    """How many of the member's posts stayed visible for NEW_USER_ACCEPTED_AFTER_SECONDS (up to `at_least`).

    Counting only posts that survived a while keeps a spammer from graduating by posting fast.
    """
    settled = utcnow() - timedelta(seconds=current_app.config["NEW_USER_ACCEPTED_AFTER_SECONDS"])
    rows = db.session.execute(
        db.select(Post.id)
        .join(Post.thread)
        .where(
            Post.author_id == user.id,
            Post.created_at <= settled,
            Post.published_clause(),
            Thread.published_clause(),
        )
        .limit(at_least)
    ).all()
    return len(rows)


def new_account_limits(user, thread, body, community) -> None:
    """Until a member has NEW_USER_ACCEPTED_POSTS accepted posts: few links, few threads a day."""
    config = current_app.config
    needed = config["NEW_USER_ACCEPTED_POSTS"]
    if not needed or _exempt(user, community) or accepted_post_count(user, needed) >= needed:
        return
    max_links = config["NEW_USER_MAX_LINKS"]
    if count_links(body) > max_links:
        raise PostingRefused(
            _(
                "New members can include at most %(num)d links in a post. Remove some links and try again.",
                num=max_links,
            )
        )
    max_threads = config["NEW_USER_MAX_THREADS_PER_DAY"]
    if thread is None and max_threads:
        started = db.session.execute(
            db.select(db.func.count(Thread.id)).where(
                Thread.author_id == user.id, Thread.created_at >= utcnow() - timedelta(days=1)
            )
        ).scalar()
        if started >= max_threads:
            raise PostingRefused(
                _(
                    "New members can start at most %(num)d threads a day. Try again tomorrow, "
                    "or reply in an existing thread.",
                    num=max_threads,
                )
            )


def new_account_file_limit(user, count: int) -> None:
    """Until a member has NEW_USER_ACCEPTED_POSTS accepted posts, as many files on an item as links in a post."""
    needed = current_app.config["NEW_USER_ACCEPTED_POSTS"]
    if not needed or user.is_moderator or accepted_post_count(user, needed) >= needed:
        return
    max_files = current_app.config["NEW_USER_MAX_LINKS"]
    if count > max_files:
        raise PostingRefused(
            _("New members can attach at most %(num)d files. Remove some and try again.", num=max_files)
        )


def hold_for_approval(user, thread, community) -> bool:
    """Hold a new post when the community (or its parent action line) approves all new posts, or
    while the member has fewer than APPROVE_POST_COUNT published posts (Discourse's
    approve_post_count; posts since deleted or hidden do not count). Moderators are never held."""
    if _exempt(user, community):
        return False
    if community.holds_new_posts:
        return True
    needed = current_app.config["APPROVE_POST_COUNT"]
    if not needed:
        return False
    published = db.session.execute(
        db.select(Post.id).where(Post.author_id == user.id, Post.published_clause()).limit(needed)
    ).all()
    return len(published) < needed


def register_rules() -> None:
    for rule in (slow_mode, repeated_post, new_account_limits):
        register(rule)
    register_hold(hold_for_approval)
    files.register_attach_check(new_account_file_limit)
