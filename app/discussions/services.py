"""Discussion actions: one function per action. They flush, signal and log; the caller commits."""

import logging

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app import drafts
from app.auth.models import User
from app.core import posting_rules, signals
from app.core.refusals import Refused
from app.core.text import RENDER_VERSION
from app.core.time import utcnow
from app.discussions.bodies import render_body
from app.discussions.models import (
    THREAD_LEVELS,
    Post,
    PostRevision,
    Thread,
    ThreadFollow,
    body_digest,
    path_segment,
)
from app.extensions import db
from app.files import services as files

logger = logging.getLogger(__name__)


class DiscussionError(Refused):
    """A domain rule refused the action; the message is shown to the user next to `field`."""

    def __init__(self, message, field="body"):
        super().__init__(message, field)


def _new_post(thread: Thread, author, body: str, parent: Post | None, language=None, held=False) -> Post:
    now = utcnow()
    post = Post(
        thread=thread,
        author=author,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        body_source=body,
        body_digest=body_digest(body),
        render_version=RENDER_VERSION,
        language=language or getattr(author, "locale", None),
        created_at=now,
        held_at=now if held else None,
    )
    db.session.add(post)
    db.session.flush()
    post.tree_path = (parent.tree_path + "." if parent else "") + path_segment(post.id)
    if not held:
        _count_in(thread, now)
    _watch_unless_chosen(thread, author)
    db.session.flush()
    return post


def _count_in(thread: Thread, when) -> None:
    """A published post counts in its thread and moves its activity time.

    The count is added in SQL: concurrent replies each read the same old value, so a count written
    from Python would lose theirs (and pages, counted from it, would hide acknowledged replies).
    """
    thread.post_count = Thread.post_count + 1
    thread.last_activity_at = when


def start_thread(
    community, author, title: str, body: str, language=None, by_system=False, attachments=(), proposal=False
) -> Thread:
    """Create a thread in `community` with its opening post, held for approval when a hold rule says so.

    `by_system=True`: Majlis opens the thread in the author's name (a contribution's discussion, on
    submission or on the secretariat's decision). Posting rules and holds are about a person's own
    posting, so they do not apply: the thread is always opened and published.
    """
    held = False
    if not by_system:
        posting_rules.check(author, None, body, community)
        held = posting_rules.must_hold(author, None, community)
    thread = Thread(community=community, author=author, title=title.strip(), post_count=0, proposal=proposal)
    if held:
        thread.held_at = utcnow()
    db.session.add(thread)
    db.session.flush()
    post = _new_post(thread, author, body, parent=None, language=language, held=held)
    files.attach(list(attachments), "post", post.id, author)
    drafts.discard(author, "thread", community.id)
    _announce(post)
    return thread


def _announce(post: Post) -> None:
    """Tell the subscribers (live events, notifications, search) of a new post, or, for a held one,
    only that it waits for approval."""
    thread, author = post.thread, post.author
    if post.held_at is not None:
        logger.info("Post %s in thread %s by %s held for approval", post, thread, author)
        signals.post_held.send(post, actor=author)
    elif post.is_opening:
        logger.info("Thread %s started by %s in %s", thread, author, thread.community)
        signals.thread_created.send(thread, actor=author, post=post)
    else:
        logger.info("Post %s added to thread %s by %s", post, thread, author)
        signals.post_created.send(post, actor=author)


def opening_post(thread: Thread) -> Post:
    return db.session.execute(db.select(Post).filter_by(thread_id=thread.id, parent_id=None)).scalar_one()


def reply(
    thread: Thread, author, body: str, parent: Post | None = None, language=None, attachments=()
) -> Post:
    """Add a reply to `parent` (the opening post when omitted), with the files uploaded for it."""
    if parent is None:
        parent = opening_post(thread)
    if parent.thread_id != thread.id:
        raise DiscussionError(_l("The post you reply to belongs to another thread."))
    posting_rules.check(author, thread, body, thread.community)
    held = posting_rules.must_hold(author, thread, thread.community)
    post = _new_post(thread, author, body, parent=parent, language=language, held=held)
    files.attach(list(attachments), "post", post.id, author)
    drafts.discard(author, "reply", thread.id)
    _announce(post)
    return post


def publish_held_post(post: Post) -> None:
    """Publish a post held for approval (its thread too if it is the opening post).

    The created signal goes out now, with the author as actor, so live events, notifications and
    the search outbox happen as for any new post, after the caller's commit.
    """
    thread = post.thread
    post.held_at = None
    _count_in(thread, utcnow())
    if post.is_opening:
        thread.held_at = None
    db.session.flush()
    logger.info("Held post %s published", post)
    _announce(post)


def _lock(post: Post) -> None:
    """Lock the post's row until commit (PostgreSQL FOR UPDATE; SQLite write requests already run one
    at a time, BEGIN IMMEDIATE, and ignore the clause)."""
    db.session.execute(db.select(Post.id).where(Post.id == post.id).with_for_update())


def edit_post(post: Post, editor, body: str, reason: str = "", title: str | None = None) -> PostRevision:
    """Replace a post's body (and, for an opening post, the thread's title when `title` is given),
    keeping the new version as a numbered revision (and, on the first edit, the original as version 1)."""
    thread = post.thread
    title = title.strip() if title is not None and post.is_opening else None
    if title == "":
        raise DiscussionError(_l("Give the thread a title."), field="title")
    retitled = title is not None and title != thread.title
    if body == post.body_source and not retitled:
        raise DiscussionError(_l("Nothing changed."))
    if editor.id != post.author_id and not reason.strip():
        raise DiscussionError(_l("Say why you edit someone else's post."), field="reason")
    _lock(post)  # two editors at the same moment take turns for the next revision number
    last_number = (
        db.session.execute(db.select(db.func.max(PostRevision.number)).filter_by(post_id=post.id)).scalar()
        or 0
    )
    if last_number == 0:  # the first edit keeps the original as version 1 (an unedited post has no copy)
        db.session.add(post.as_first_revision())
        last_number = 1
    if body != post.body_source:
        post.body_source = body
        post.body_digest = body_digest(body)
        post.render_version = RENDER_VERSION
    post.edited_at = utcnow()
    if retitled:
        thread.title = title
    revision = PostRevision(
        post_id=post.id, number=last_number + 1, body_source=post.body_source, body_html=render_body(body),
        editor_id=editor.id, reason=reason.strip(), created_at=post.edited_at,
        title=thread.title if post.is_opening else None,
    )  # fmt: skip
    db.session.add(revision)
    db.session.flush()
    logger.info("Post %s edited by %s", post, editor)
    signals.post_edited.send(post, actor=editor, revision=revision)
    if retitled:
        signals.thread_changed.send(thread, actor=editor, change="title")
    return revision


def delete_post(post: Post, actor) -> None:
    """Soft-delete: the post becomes a placeholder; its replies stay."""
    post.deleted_at = utcnow()
    post.deleted_by_id = actor.id
    db.session.flush()
    logger.info("Post %s deleted by %s", post, actor)
    signals.post_removed.send(post, actor=actor)


def quote(post: Post) -> str:
    """Markdown that quotes a post, attributed to its author with a link back to it ("@amina wrote ↩":
    the permalink finds the post wherever a move or a split takes it), to start a reply with."""
    quoted = "\n".join("> " + line for line in post.body_source.splitlines())
    return f"@{post.author.username} [{gettext('wrote ↩')}](/p/{post.id}):\n{quoted}\n\n"


def follow_thread(thread: Thread, user) -> None:
    """Watch a thread: every new post notifies the member."""
    set_thread_level(thread, user, "watching")


def _watch_unless_chosen(thread: Thread, user) -> None:
    """Writing in a thread watches it, unless the member already chose a level for it (muted stays muted)."""
    if db.session.get(ThreadFollow, (thread.id, user.id)) is None:
        follow_thread(thread, user)


def unfollow_thread(thread: Thread, user) -> None:
    set_thread_level(thread, user, "normal")


def set_thread_level(thread: Thread, user, level: str) -> None:
    """Watch, track, mute or leave `thread` at normal (no row)."""
    if level not in THREAD_LEVELS:
        raise ValueError(f"Unknown watch level {level!r}")
    follow = db.session.get(ThreadFollow, (thread.id, user.id))
    if level == "normal":
        if follow is not None:
            db.session.delete(follow)
    elif follow is None:
        db.session.add(ThreadFollow(thread_id=thread.id, user_id=user.id, level=level))
    else:
        follow.level = level
    db.session.flush()


def set_preferred_view(user, view: str) -> None:
    """Remember tree or flat as the user's thread view."""
    if user.is_authenticated and view in ("tree", "flat") and user.preferred_view != view:
        user.preferred_view = view
        db.session.flush()


# Tree surgery: posts keep their ids, bodies and revisions; only thread_id, parent_id, tree_path and depth
# change, so every reply stays under the post it answered (see models.py on tree_path). Moderation decides
# who may reshape a discussion and audits and announces it.


def branch_of(post: Post) -> list[Post]:
    """The post and all its replies, in tree order."""
    return list(
        db.session.execute(
            db.select(Post)
            .where(
                Post.thread_id == post.thread_id,
                db.or_(Post.tree_path == post.tree_path, Post.tree_path.startswith(post.tree_path + ".")),
            )
            .order_by(Post.tree_path)
        ).scalars()
    )


def _published_count(posts) -> int:
    """How many of `posts` count in a thread's post_count (held posts do not until approved)."""
    return sum(1 for post in posts if post.held_at is None)


def _latest_activity(thread_id: int):
    return db.session.execute(
        db.select(db.func.max(Post.created_at)).where(Post.thread_id == thread_id)
    ).scalar()


def move_branch(post: Post, title: str, community) -> tuple[Thread, list[Post]]:
    """Move a reply and everything under it into a new thread in `community`, which the branch's authors
    follow; returns the new thread and the moved posts."""
    old = post.thread
    branch = branch_of(post)
    new = Thread(
        community=community,
        author_id=post.author_id,
        title=title.strip(),
        created_at=post.created_at,
        last_activity_at=max(p.created_at for p in branch),
        post_count=_published_count(branch),
        split_from_thread_id=old.id,
    )
    db.session.add(new)
    db.session.flush()
    cut = len(post.tree_path) - len(path_segment(post.id))
    base_depth = post.depth
    for moved in branch:
        moved.thread = new
        moved.tree_path = moved.tree_path[cut:]
        moved.depth -= base_depth
    post.parent_id = None
    post.merged_from_thread_id = None  # it opens the new thread, which says where it came from
    old.post_count = Thread.post_count - _published_count(branch)  # in SQL: replies may land meanwhile
    db.session.flush()
    old.last_activity_at = _latest_activity(old.id) or old.created_at
    for author_id in {p.author_id for p in branch}:
        _watch_unless_chosen(new, db.session.get(User, author_id))
    return new, branch


def graft(source: Thread, target: Thread) -> list[Post]:
    """Hang every post of `source` under `target`'s opening post (its opening post becomes a reply);
    returns the moved posts. `source` is left empty."""
    anchor = opening_post(target)
    posts = list(db.session.execute(db.select(Post).filter_by(thread_id=source.id)).scalars())
    source_opening = next(p for p in posts if p.parent_id is None)
    prefix, extra_depth = anchor.tree_path + ".", anchor.depth + 1
    for moved in posts:
        moved.thread = target
        moved.tree_path = prefix + moved.tree_path
        moved.depth += extra_depth
    source_opening.parent_id = anchor.id
    source_opening.merged_from_thread_id = source.id
    target.post_count = Thread.post_count + _published_count(posts)
    source.post_count = 0
    db.session.flush()
    target.last_activity_at = _latest_activity(target.id) or target.last_activity_at
    return posts
