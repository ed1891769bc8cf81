"""Reshaping discussions: move a thread, split a branch into a new thread, merge two threads.

The tree surgery itself (`move_branch`, `graft`) is discussions' own; here are the rules, the audit rows,
the notices and the signals.
"""

import logging
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core import audit, signals
from app.core.posting_rules import PostingRefused
from app.core.time import utcnow
from app.discussions import services as discussion_services
from app.discussions.models import Post, Thread
from app.extensions import db
from app.moderation.models import ReviewItem, ThreadMerge
from app.moderation.services.content import ModerationError

logger = logging.getLogger(__name__)

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


def _escape_markdown(text: str) -> str:
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def move_thread(thread, actor, community, reason: str) -> None:
    """Move a thread (with all its posts) to another community."""
    if community.id == thread.community_id:
        raise ModerationError(_l("The thread is already in that community."))
    before = {"community": thread.community.slug}
    community_before_id = thread.community_id
    audit.record(
        actor,
        "move_thread",
        "thread",
        thread.id,
        thread.community_id,
        reason,
        before=before,
        after={"community": community.slug},
    )
    thread.community_id = community.id
    thread.community = community
    _open_items_follow(thread, community)
    db.session.flush()
    signals.thread_changed.send(thread, actor=actor, change="move", previous_community_id=community_before_id)
    signals.readers_changed.send(actor, thread_ids=[thread.id])  # the new community may be restricted
    logger.info("Thread %s moved from %s to %s by %s", thread, before["community"], community, actor)


def _open_items_follow(thread, community) -> None:
    """Open review items (reports, held posts) of the thread and its posts go to the queue of the
    thread's new community: its moderators decide now."""
    targets = db.or_(
        db.and_(ReviewItem.target_type == "thread", ReviewItem.target_id == thread.id),
        db.and_(
            ReviewItem.target_type == "post",
            ReviewItem.target_id.in_(db.select(Post.id).where(Post.thread_id == thread.id)),
        ),
    )
    db.session.execute(
        db.update(ReviewItem).where(ReviewItem.state == "open", targets).values(community_id=community.id)
    )


def split_branch(post, actor, title: str, reason: str, community=None) -> Thread:
    """Move a reply and everything under it into a new thread; a notice links to it from the old one."""
    if post.parent_id is None:
        raise ModerationError(_l("The opening post cannot be split off; move the thread instead."))
    old = post.thread
    parent = db.session.get(Post, post.parent_id)
    new, branch = discussion_services.move_branch(post, title, community or old.community)
    _leave_notice(old, parent, actor, new)
    audit.record(
        actor,
        "split_thread",
        "thread",
        old.id,
        old.community_id,
        reason,
        before={"thread": old.id, "post": post.id},
        after={"thread": new.id, "posts": [p.id for p in branch]},
    )
    signals.thread_changed.send(old, actor=actor, change="split")
    signals.thread_changed.send(new, actor=actor, change="split")
    logger.info("Branch at %s split from %s into %s by %s", post, old, new, actor)
    return new


def _leave_notice(old, parent, actor, new) -> None:
    body = _(
        "A branch of this discussion was moved to a new thread: [%(title)s](/t/%(id)d).",
        title=_escape_markdown(new.title),
        id=new.id,
    )
    try:
        discussion_services.reply(old, actor, body, parent=parent)
    except PostingRefused as refusal:
        raise ModerationError(str(refusal)) from refusal


def merge_threads(source, target, actor, reason: str) -> None:
    """Merge `source` into `target`: its opening post becomes a reply to target's, a branch."""
    if source.id == target.id:
        raise ModerationError(_l("A thread cannot be merged into itself."))
    if db.session.get(ThreadMerge, source.id) is not None:
        raise ModerationError(_l("This thread was already merged into another."))
    if db.session.get(ThreadMerge, target.id) is not None:
        raise ModerationError(_l("That thread was itself merged away; choose the thread it went to."))
    posts = discussion_services.graft(source, target)
    source.locked = True
    source.deleted_at = utcnow()
    db.session.add(ThreadMerge(source_thread_id=source.id, target_thread_id=target.id))
    audit.record(
        actor,
        "merge_thread",
        "thread",
        source.id,
        source.community_id,
        reason,
        before={"thread": source.id, "title": source.title},
        after={"thread": target.id, "posts": [p.id for p in posts]},
    )
    db.session.flush()
    signals.thread_changed.send(source, actor=actor, change="merge")
    signals.thread_changed.send(target, actor=actor, change="merge")
    logger.info("Thread %s merged into %s by %s", source, target, actor)


def merged_into(thread_id: int):
    """The id of the thread `thread_id` was merged into, or None."""
    row = db.session.get(ThreadMerge, thread_id)
    return row.target_thread_id if row is not None else None
