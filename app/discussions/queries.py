"""Read-side queries for threads: bounded windows with a constant number of SQL statements."""

import math
from dataclasses import dataclass, field

from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.communities.models import Community
from app.discussions.models import Post, Thread
from app.extensions import db

VIEWS = ("tree", "flat")


def _order(view: str):
    return Post.tree_path if view == "tree" else Post.id


@dataclass
class PostNode:
    post: Post
    children: list["PostNode"] = field(default_factory=list)


@dataclass
class ThreadPage:
    thread: Thread
    view: str
    page: int
    pages: int
    total: int
    posts: list[Post]
    roots: list[PostNode]


def published_posts_for(viewer, thread: Thread):
    """A SQL condition on Post: what `viewer` sees of held posts (moderators all, authors their own)."""
    if viewer is not None and thread.can_moderate(viewer):
        return db.true()
    if viewer is not None and viewer.is_authenticated:
        return db.or_(Post.held_at.is_(None), Post.author_id == viewer.id)
    return Post.held_at.is_(None)


def _held_posts_shown(thread: Thread, viewer) -> int:
    """Held posts `viewer` sees besides the published ones counted in `post_count` (one count query,
    and none for visitors who are not signed in)."""
    if viewer is None or not viewer.is_authenticated:
        return 0
    held = db.select(db.func.count(Post.id)).where(Post.thread_id == thread.id, Post.held_at.is_not(None))
    if not thread.can_moderate(viewer):
        held = held.where(Post.author_id == viewer.id)
    return db.session.execute(held).scalar() or 0


def post_total(thread: Thread, viewer) -> int:
    """The thread's post count as `viewer`'s page shows it (published posts, plus held ones they see)."""
    return (thread.post_count or 0) + _held_posts_shown(thread, viewer)


def posts_by_ids(thread: Thread, post_ids: list[int], viewer) -> list[tuple[Post, str | None]]:
    """The posts of `thread` among `post_ids` that `viewer` may read, oldest first, each with its
    parent's author name (for "in reply to" in the flat view): two statements."""
    if not post_ids:
        return []
    posts = list(
        db.session.execute(
            db.select(Post)
            .options(joinedload(Post.author))
            .where(Post.thread_id == thread.id, Post.id.in_(post_ids), published_posts_for(viewer, thread))
            .order_by(Post.id)
        ).scalars()
    )
    parent_ids = {post.parent_id for post in posts if post.parent_id}
    names = {}
    if parent_ids:
        rows = db.session.execute(
            db.select(Post.id, User.display_name, User.username)
            .join(User, User.id == Post.author_id)
            .where(Post.id.in_(parent_ids))
        )
        names = {row.id: row.display_name or row.username for row in rows}
    return [(post, names.get(post.parent_id)) for post in posts]


def reply_counts(thread: Thread, parent_ids, viewer) -> dict[int, int]:
    """How many replies `viewer` sees under each of `parent_ids` (one grouped statement)."""
    if not parent_ids:
        return {}
    rows = db.session.execute(
        db.select(Post.parent_id, db.func.count(Post.id))
        .where(
            Post.thread_id == thread.id, Post.parent_id.in_(parent_ids), published_posts_for(viewer, thread)
        )
        .group_by(Post.parent_id)
    )
    return {parent_id: count for parent_id, count in rows}


def thread_page(thread: Thread, view: str, page: int, per_page: int, viewer=None) -> ThreadPage:
    """One page of a thread's posts in tree (depth-first) or flat (chronological) order.

    A constant number of queries whatever the thread's size: the window (authors joined), and for a
    signed-in reader the count of held posts they see. Posts held for approval are left out except
    for their author and the thread's moderators, whose pages count them too.
    """
    total = post_total(thread, viewer)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    window = (
        db.select(Post.id)
        .filter_by(thread_id=thread.id)
        .where(published_posts_for(viewer, thread))
        .order_by(_order(view))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    # The window's ids come from the index alone; only its own posts (and authors) are read.
    posts = list(
        db.session.execute(
            db.select(Post).options(joinedload(Post.author)).where(Post.id.in_(window)).order_by(_order(view))
        ).scalars()
    )
    return ThreadPage(thread, view, page, pages, total, posts, build_tree(posts))


def build_tree(posts: list[Post]) -> list[PostNode]:
    """Nest a depth-first window of posts; a post whose parent is outside the window is a root."""
    nodes = {post.id: PostNode(post) for post in posts}
    roots = []
    for post in posts:
        parent = nodes.get(post.parent_id)
        if parent is None:
            roots.append(nodes[post.id])
        else:
            parent.children.append(nodes[post.id])
    return roots


def position_of(post: Post, view: str) -> int:
    """How many posts of the thread come before `post` in the given order."""
    column = _order(view)
    value = post.tree_path if view == "tree" else post.id
    return db.session.execute(
        db.select(db.func.count(Post.id)).where(Post.thread_id == post.thread_id, column < value)
    ).scalar()


def page_of(post: Post, view: str, per_page: int) -> int:
    return position_of(post, view) // per_page + 1


def community_threads(community: Community, page: int, per_page: int, include_hidden=False, viewer=None):
    """Threads of a community, pinned first then by latest activity, as a Flask-SQLAlchemy page.

    Moderators (`include_hidden`) see hidden and held threads; others see a held thread only if
    they started it (`viewer`).
    """
    query = db.select(Thread).filter_by(community_id=community.id)
    if not include_hidden:
        query = query.where(Thread.listed_clause(viewer))
    query = query.order_by(Thread.pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def threads_by(user: User, viewer, limit=20):
    return list(
        db.session.execute(
            db.select(Thread)
            .where(Thread.author_id == user.id, Thread.readable_clause(viewer))
            .order_by(Thread.created_at.desc())
            .limit(limit)
        ).scalars()
    )


def posts_by(user: User, viewer, limit=20):
    return list(
        db.session.execute(
            db.select(Post)
            .join(Post.thread)
            .options(joinedload(Post.thread, innerjoin=True))
            .where(Post.author_id == user.id, Post.parent_id.is_not(None), Post.readable_clause(viewer))
            .order_by(Post.created_at.desc())
            .limit(limit)
        ).scalars()
    )
