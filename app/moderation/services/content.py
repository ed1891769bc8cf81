"""Moderator actions on posts and threads: hide/restore, lock, pin, title, slow mode.

Each public function checks its rule, mutates, flushes, writes exactly one audit row, logs and sends
the signal realtime and search listen to. The caller commits.
"""

import logging

from flask_babel import lazy_gettext as _l

from app.core import audit, signals
from app.core.refusals import Refused
from app.core.time import utcnow
from app.extensions import db
from app.moderation.notifications import tell_hidden

logger = logging.getLogger(__name__)

SLOW_MODE_MAX_SECONDS = 7 * 24 * 3600


class ModerationError(Refused):
    """A moderation rule refused the action; the message is shown to the moderator."""


def mark_audited(obj) -> None:
    """Tell the signal subscribers in this package that this change already has its audit row."""
    obj._moderation_audited = True


def set_post_hidden(post, actor) -> None:
    """Hide without auditing (for callers that write their own audit row)."""
    post.hidden_at = utcnow()
    post.hidden_by_id = getattr(actor, "id", None)
    db.session.flush()
    mark_audited(post)
    signals.post_removed.send(post, actor=actor)


def set_post_visible(post, actor) -> None:
    post.hidden_at = None
    post.hidden_by_id = None
    db.session.flush()
    signals.post_restored.send(post, actor=actor)


def set_thread_hidden(thread, actor) -> None:
    thread.hidden_at = utcnow()
    db.session.flush()
    signals.thread_changed.send(thread, actor=actor, change="hide")
    signals.readers_changed.send(actor, thread_ids=[thread.id])


def set_thread_visible(thread, actor) -> None:
    thread.hidden_at = None
    db.session.flush()
    signals.thread_changed.send(thread, actor=actor, change="restore")


def hide_post(post, actor, reason: str) -> None:
    """Hide a post: it shows a placeholder, its replies stay."""
    if post.hidden_at is not None:
        raise ModerationError(_l("This post is already hidden."))
    audit.record(actor, "hide_post", "post", post.id, post.thread.community_id, reason)
    set_post_hidden(post, actor)
    tell_hidden(post, actor, reason)
    logger.info("Post %s hidden by %s", post, actor)


def restore_post(post, actor, reason: str) -> None:
    """Show a hidden post again."""
    if post.hidden_at is None:
        raise ModerationError(_l("This post is not hidden."))
    audit.record(actor, "restore_post", "post", post.id, post.thread.community_id, reason)
    set_post_visible(post, actor)
    logger.info("Post %s restored by %s", post, actor)


def hide_thread(thread, actor, reason: str) -> None:
    """Hide a whole thread from members; moderators still see it."""
    if thread.hidden_at is not None:
        raise ModerationError(_l("This thread is already hidden."))
    audit.record(actor, "hide_thread", "thread", thread.id, thread.community_id, reason)
    set_thread_hidden(thread, actor)
    tell_hidden(thread, actor, reason)
    logger.info("Thread %s hidden by %s", thread, actor)


def restore_thread(thread, actor, reason: str) -> None:
    if thread.hidden_at is None:
        raise ModerationError(_l("This thread is not hidden."))
    audit.record(actor, "restore_thread", "thread", thread.id, thread.community_id, reason)
    set_thread_visible(thread, actor)
    logger.info("Thread %s restored by %s", thread, actor)


def _set_flag(thread, actor, reason, field: str, value: bool, action: str, change: str, same_message):
    if getattr(thread, field) == value:
        raise ModerationError(same_message)
    audit.record(
        actor,
        action,
        "thread",
        thread.id,
        thread.community_id,
        reason,
        before={field: not value},
        after={field: value},
    )
    setattr(thread, field, value)
    db.session.flush()
    signals.thread_changed.send(thread, actor=actor, change=change)
    logger.info("Thread %s: %s by %s", thread, change, actor)


def lock_thread(thread, actor, reason: str = "") -> None:
    """No new replies (moderators excepted); a notice shows on the thread."""
    _set_flag(
        thread, actor, reason, "locked", True, "lock_thread", "lock", _l("The thread is already locked.")
    )


def unlock_thread(thread, actor, reason: str = "") -> None:
    _set_flag(
        thread, actor, reason, "locked", False, "unlock_thread", "unlock", _l("The thread is not locked.")
    )


def pin_thread(thread, actor, reason: str = "") -> None:
    """Keep the thread at the top of its community."""
    _set_flag(thread, actor, reason, "pinned", True, "pin_thread", "pin", _l("The thread is already pinned."))


def unpin_thread(thread, actor, reason: str = "") -> None:
    _set_flag(
        thread, actor, reason, "pinned", False, "unpin_thread", "unpin", _l("The thread is not pinned.")
    )


def retitle_thread(thread, actor, title: str, reason: str = "") -> None:
    """Change a thread's title."""
    title = title.strip()
    if title == thread.title:
        raise ModerationError(_l("Nothing changed."))
    audit.record(
        actor,
        "retitle_thread",
        "thread",
        thread.id,
        thread.community_id,
        reason,
        before={"title": thread.title},
        after={"title": title},
    )
    thread.title = title
    db.session.flush()
    signals.thread_changed.send(thread, actor=actor, change="title")
    logger.info("Thread %s retitled by %s", thread, actor)


def set_slow_mode(thread, actor, seconds: int, reason: str = "") -> None:
    """One post per member per `seconds` in this thread (0 turns slow mode off)."""
    if not 0 <= seconds <= SLOW_MODE_MAX_SECONDS:
        raise ModerationError(_l("Choose a slow-mode interval from the list."))
    if seconds == thread.slow_mode_seconds:
        raise ModerationError(_l("Nothing changed."))
    audit.record(
        actor,
        "slow_mode",
        "thread",
        thread.id,
        thread.community_id,
        reason,
        before={"slow_mode_seconds": thread.slow_mode_seconds},
        after={"slow_mode_seconds": seconds},
    )
    thread.slow_mode_seconds = seconds
    db.session.flush()
    signals.thread_changed.send(thread, actor=actor, change="slow_mode")
    logger.info("Thread %s slow mode %ss by %s", thread, seconds, actor)
