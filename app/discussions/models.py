"""Threads, posts (a tree through parent_id), revisions and thread follows.

Tree order is stored, not computed: each post keeps `tree_path`, its ancestors' ids and its own as
fixed-width base-36 segments, so `ORDER BY tree_path` is depth-first order with siblings oldest
first, and a page of the tree is a LIMIT/OFFSET window with no recursion and no depth limit.
"""

import hashlib
import re
from contextlib import contextmanager
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.communities.models import Community, readable_community_ids_clause
from app.core.time import utcnow
from app.extensions import db

PATH_SEGMENT_WIDTH = 8
TITLE_MAX = 200
TITLE_MIN = 5
BODY_MAX = 20000
BODY_MIN = 2


def path_segment(post_id: int) -> str:
    """A post id as a fixed-width base-36 segment, so string order is numeric order."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    value = post_id
    while value:
        value, remainder = divmod(value, 36)
        out = digits[remainder] + out
    return out.rjust(PATH_SEGMENT_WIDTH, "0")


def body_digest(body: str) -> str:
    """The digest of a body with its spacing and case folded: "Visit  my page" and "visit my page"
    are the same post to the repeated-post rule."""
    folded = re.sub(r"\s+", " ", body or "").strip().casefold()
    return hashlib.sha256(folded.encode()).hexdigest()


class Thread(db.Model):
    __tablename__ = "threads"

    id = db.Column(db.Integer, primary_key=True)
    community_id = db.Column(db.Integer, db.ForeignKey("communities.id"), nullable=False, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    title = db.Column(db.String(TITLE_MAX), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_activity_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    post_count = db.Column(db.Integer, nullable=False, default=0)
    locked = db.Column(db.Boolean, nullable=False, default=False)
    pinned = db.Column(db.Boolean, nullable=False, default=False)
    slow_mode_seconds = db.Column(db.Integer, nullable=False, default=0)
    hidden_at = db.Column(db.DateTime, nullable=True)
    deleted_at = db.Column(db.DateTime, nullable=True)
    # Set while the thread waits for a moderator's approval; only its author and moderators see it.
    held_at = db.Column(db.DateTime, nullable=True)
    # A proposal: members may support it (until it is locked), counted by stakeholder group.
    proposal = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    # A branch split off another thread (`move_branch`): the thread page says where it came from.
    split_from_thread_id = db.Column(db.Integer, db.ForeignKey("threads.id"), nullable=True)

    community = db.relationship("Community", lazy="joined", innerjoin=True)
    author = db.relationship("User", lazy="joined", innerjoin=True)
    split_from = db.relationship("Thread", remote_side=[id], foreign_keys=[split_from_thread_id])

    def __repr__(self):
        return f"<Thread {self.id}>"

    def __str__(self):
        return f"#{self.id}"

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None and self.deleted_at is None

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    @classmethod
    def published_clause(cls):
        """SQL: a thread anyone who may read its community sees (not hidden, deleted or held)."""
        return db.and_(cls.hidden_at.is_(None), cls.deleted_at.is_(None), cls.held_at.is_(None))

    @classmethod
    def listed_clause(cls, viewer):
        """SQL: the threads a community's listing shows `viewer` who does not moderate it: the
        published ones, and a held thread to the member who started it."""
        shown = db.and_(cls.hidden_at.is_(None), cls.deleted_at.is_(None))
        if viewer is not None and viewer.is_authenticated:
            return db.and_(shown, db.or_(cls.held_at.is_(None), cls.author_id == viewer.id))
        return db.and_(shown, cls.held_at.is_(None))

    @classmethod
    def readable_clause(cls, user):
        """SQL: published threads of the communities `user` may read (listings, search, feeds)."""
        return db.and_(
            cls.published_clause(),
            cls.community_id.in_(db.select(Community.id).where(readable_community_ids_clause(user))),
        )

    @contextmanager
    def answers_kept(self):
        """Within, the thread keeps its `can_read`, `can_reply` and `can_moderate` answers per user:
        a page of posts asks them for every post and control (hundreds of times) while nothing
        about the thread, its community or the reader changes."""
        self._kept_answers = {}
        try:
            yield
        finally:
            del self._kept_answers

    def _kept(self, question: str, user, answer) -> bool:
        kept = self.__dict__.get("_kept_answers")
        if kept is None:
            return answer(user)
        key = (question, user.id if user.is_authenticated else None)
        if key not in kept:
            kept[key] = answer(user)
        return kept[key]

    def can_read(self, user) -> bool:
        return self._kept("read", user, self._can_read)

    def _can_read(self, user) -> bool:
        if not self.community.can_read(user):
            return False
        if self.community.can_moderate(user):
            return True
        if self.is_held and not (user.is_authenticated and user.id == self.author_id):
            return False
        return self.is_visible

    def can_reply(self, user) -> bool:
        return self._kept("reply", user, self._can_reply)

    def _can_reply(self, user) -> bool:
        if not self.can_read(user) or not user.is_authenticated or not user.can_post() or self.is_held:
            return False
        return not self.locked or self.community.can_moderate(user)

    def can_moderate(self, user) -> bool:
        return self._kept("moderate", user, self.community.can_moderate)

    def can_follow(self, user) -> bool:
        return user.is_authenticated and self.can_read(user)

    def can_retitle(self, user, now=None) -> bool:
        """Its author changes the title within the edit window (moderators have their own tool)."""
        from flask import current_app

        window = timedelta(minutes=current_app.config["THREAD_TITLE_EDIT_MINUTES"])
        return (
            user.is_authenticated and user.id == self.author_id and user.can_post() and not self.locked
            and self.is_visible and (now or utcnow()) - self.created_at <= window
        )  # fmt: skip

    def can_support(self, user) -> bool:
        """A proposal's supporters: members who may post and read it, not its author."""
        return (
            self.proposal and user.is_authenticated and user.can_post() and user.id != self.author_id
            and self.is_visible and not self.is_held and self.can_read(user)
        )  # fmt: skip

    @property
    def supports_open(self) -> bool:
        """Supports close with the proposal's discussion: when the thread is locked."""
        return not self.locked


class Post(db.Model):
    __tablename__ = "posts"

    id = db.Column(db.Integer, primary_key=True)
    thread_id = db.Column(
        db.Integer, db.ForeignKey("threads.id", ondelete="CASCADE"), nullable=False, index=True
    )
    parent_id = db.Column(db.Integer, db.ForeignKey("posts.id"), nullable=True, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    tree_path = db.Column(db.String(2000), nullable=False, default="")
    depth = db.Column(db.Integer, nullable=False, default=0)
    body_source = db.Column(db.Text, nullable=False)  # the HTML is rendered when shown (`body_html`)
    # sha256 of the body as the repeated-post rule compares it (`body_digest`): a lookup, not a read of bodies.
    body_digest = db.Column(db.String(64), nullable=True)
    render_version = db.Column(db.Integer, nullable=False, default=1)
    language = db.Column(db.String(8), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    edited_at = db.Column(db.DateTime, nullable=True)
    deleted_at = db.Column(db.DateTime, nullable=True)
    deleted_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    hidden_at = db.Column(db.DateTime, nullable=True)
    hidden_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    # Set while the post waits for a moderator's approval (a rejected post keeps it and is hidden too).
    held_at = db.Column(db.DateTime, nullable=True)
    # The opening post of a thread merged into this one (`graft`): where the merged posts begin.
    merged_from_thread_id = db.Column(db.Integer, db.ForeignKey("threads.id"), nullable=True)

    thread = db.relationship(
        "Thread", foreign_keys=[thread_id], backref=db.backref("posts", lazy="dynamic", passive_deletes=True)
    )
    author = db.relationship("User", foreign_keys=[author_id])
    merged_from = db.relationship("Thread", foreign_keys=[merged_from_thread_id])

    __table_args__ = (
        # A page of a long thread skips thousands of posts: these indexes hold what the window's
        # filter reads (held_at, author_id), so the skipped posts' rows are never read.
        db.Index("ix_posts_thread_tree", "thread_id", "tree_path", "held_at", "author_id"),
        db.Index("ix_posts_thread_created", "thread_id", "id", "held_at", "author_id"),
        db.Index("ix_posts_author_digest", "author_id", "body_digest"),
    )

    def __repr__(self):
        return f"<Post {self.id}>"

    def __str__(self):
        return f"post {self.id}"

    @property
    def is_opening(self) -> bool:
        return self.parent_id is None

    @property
    def is_removed(self) -> bool:
        """Deleted or hidden: shown as a placeholder, replies stay."""
        return self.deleted_at is not None or self.hidden_at is not None

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    @classmethod
    def published_clause(cls):
        """SQL on Post alone: not hidden, deleted or held. Join Thread and add
        `Thread.published_clause()` (or `readable_clause`) for the thread's own state."""
        return db.and_(cls.hidden_at.is_(None), cls.deleted_at.is_(None), cls.held_at.is_(None))

    @classmethod
    def readable_clause(cls, user):
        """SQL: published posts of published threads `user` may read; the query joins Post.thread."""
        return db.and_(cls.published_clause(), Thread.readable_clause(user))

    @property
    def placeholder(self):
        if self.hidden_at is not None:
            return _l("This post was hidden by a moderator.")
        return _l("This post was deleted.")

    def can_read(self, user) -> bool:
        """A held post is its author's and the moderators' only."""
        if not self.thread.can_read(user):
            return False
        if self.is_held and not self.thread.can_moderate(user):
            return user.is_authenticated and user.id == self.author_id
        return True

    @property
    def body_html(self) -> str:
        """The body as sanitised HTML, rendered from the source and kept in the fragment cache
        (app/discussions/bodies.py; pages of posts fetch theirs together with `bodies_html`)."""
        from app.discussions.bodies import bodies_html

        return bodies_html([self])[self.id]

    def as_first_revision(self) -> "PostRevision":
        """Version 1 of the post: the post itself until its first edit, which stores it as a row."""
        return PostRevision(
            post_id=self.id, number=1, body_source=self.body_source, body_html=self.body_html,
            editor_id=self.author_id, editor=self.author, reason="", created_at=self.created_at,
            title=self.thread.title if self.is_opening else None,
        )  # fmt: skip

    def can_view_body(self, user) -> bool:
        """Removed posts show a placeholder except to moderators."""
        if not self.is_removed:
            return True
        return self.thread.can_moderate(user)

    def can_reply(self, user) -> bool:
        return self.thread.can_reply(user) and not self.is_removed and not self.is_held

    def can_edit(self, user) -> bool:
        if not user.is_authenticated or not self.can_read(user):
            return False
        if self.thread.can_moderate(user):
            return True
        return (
            user.id == self.author_id and user.can_post() and not self.is_removed and not self.thread.locked
        )

    def can_delete(self, user) -> bool:
        if self.deleted_at is not None:
            return False
        return self.can_edit(user)

    def can_delete_in_thread(self, user) -> bool:
        """`can_delete`, and the opening post only by the thread's moderators (its author edits it)."""
        return self.can_delete(user) and (not self.is_opening or self.thread.can_moderate(user))

    def can_view_history(self, user) -> bool:
        return self.can_read(user) and self.can_view_body(user)

    def can_react(self, user) -> bool:
        """Members who may post react to others' published posts they can read."""
        return (
            user.is_authenticated and user.can_post() and user.id != self.author_id
            and not self.is_removed and not self.is_held and self.can_read(user)
            and not self.thread.is_held
        )  # fmt: skip


class PostRevision(db.Model):
    """A version of an edited post: version 1 (the original) is written at the first edit, then one
    for every edit. A post never edited has none; it is its own version 1."""

    __tablename__ = "post_revisions"

    id = db.Column(db.Integer, primary_key=True)
    post_id = db.Column(db.Integer, db.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False, index=True)
    number = db.Column(db.Integer, nullable=False)
    body_source = db.Column(db.Text, nullable=False)
    body_html = db.Column(db.Text, nullable=False)
    editor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    reason = db.Column(db.String(300), nullable=False, default="")
    # An opening post's versions carry the thread's title as it was (its author may change it).
    title = db.Column(db.String(TITLE_MAX), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    editor = db.relationship("User", lazy="joined")

    __table_args__ = (db.UniqueConstraint("post_id", "number", name="uq_post_revisions_number"),)


# The reactions a member may leave on a post, in the order they are shown.
REACTION_KINDS = ("like", "agree", "insightful", "thanks")


class Reaction(db.Model):
    """A member's reaction of one kind on a post: at most one per kind, never on their own post."""

    __tablename__ = "reactions"

    id = db.Column(db.Integer, primary_key=True)
    post_id = db.Column(db.Integer, db.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = db.Column(db.String(12), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (
        db.CheckConstraint("kind in ('like', 'agree', 'insightful', 'thanks')", name="kind"),
        db.UniqueConstraint("post_id", "user_id", "kind", name="uq_reactions_post_user_kind"),
    )


class Bookmark(db.Model):
    """A member's bookmark on a thread or a post, with an optional reminder at a time they chose."""

    __tablename__ = "bookmarks"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    thread_id = db.Column(db.Integer, db.ForeignKey("threads.id", ondelete="CASCADE"), nullable=True)
    post_id = db.Column(db.Integer, db.ForeignKey("posts.id", ondelete="CASCADE"), nullable=True)
    remind_at = db.Column(db.DateTime, nullable=True)
    reminded_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    user = db.relationship("User")
    thread = db.relationship("Thread")
    post = db.relationship("Post")

    __table_args__ = (
        db.CheckConstraint("(thread_id is null) <> (post_id is null)", name="one_target"),
        db.UniqueConstraint("user_id", "thread_id", name="uq_bookmarks_user_thread"),
        db.UniqueConstraint("user_id", "post_id", name="uq_bookmarks_user_post"),
        db.Index("ix_bookmarks_user_created", "user_id", "created_at"),
    )

    @property
    def target(self):
        return self.post if self.post_id is not None else self.thread

    def can_view(self, user) -> bool:
        """Its owner, while they may still read what it points at."""
        return user.is_authenticated and user.id == self.user_id and self.target.can_read(user)


# How closely a member follows a thread. "normal" is no row at all.
THREAD_LEVELS = ("watching", "tracking", "normal", "muted")


class ThreadFollow(db.Model):
    """A member's watch level on a thread: watching (told of every post), tracking (unread counted,
    listed under Unread, no notification) or muted (never in New or Unread, never notified)."""

    __tablename__ = "thread_follows"

    thread_id = db.Column(db.Integer, db.ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    level = db.Column(db.String(12), nullable=False, default="watching", server_default="watching")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.CheckConstraint("level in ('watching', 'tracking', 'muted')", name="level"),)


class ThreadRead(db.Model):
    """How far a member has read a thread, exactly, in tree and flat view alike.

    Every post with an id up to `read_through_id` is read; `read_beyond` lists the ids read above it
    (a tree page shows posts out of id order). Reading the posts just above the mark folds them into
    it, so the list stays as short as the member's jumps around the thread."""

    __tablename__ = "thread_reads"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id = db.Column(db.Integer, db.ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    read_through_id = db.Column(db.Integer, nullable=False, default=0)
    read_beyond = db.Column(db.Text, nullable=False, default="")
    # The post the member last looked at ("back to where I was").
    last_seen_post_id = db.Column(db.Integer, nullable=True)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.Index("ix_thread_reads_thread", "thread_id"),)

    @property
    def beyond_ids(self) -> set[int]:
        return {int(part) for part in self.read_beyond.split(",") if part}

    @beyond_ids.setter
    def beyond_ids(self, ids) -> None:
        self.read_beyond = ",".join(str(post_id) for post_id in sorted(ids))

    def has_read(self, post_id: int) -> bool:
        return post_id <= self.read_through_id or post_id in self.beyond_ids


class CommunityRead(db.Model):
    """When a member last marked a community read: its posts from before then are read unless the
    member's ThreadRead says otherwise. With no row, the member's sign-up time stands in."""

    __tablename__ = "community_reads"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    community_id = db.Column(
        db.Integer, db.ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    read_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class FeedKey(db.Model):
    """The secret in a member's bookmarks feed address: whoever has the address reads the feed, so
    the member may replace it, which ends the old one."""

    __tablename__ = "feed_keys"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    user = db.relationship("User")
