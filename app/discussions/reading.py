"""Reading state: what a member has read of each thread, what is new to them, and their watch levels.

A post is unread to a member when someone else wrote it, it is published, and it is not covered by
the member's read state: their `ThreadRead` for the thread if they have opened it, otherwise the
community's read-up-to time (`CommunityRead`, "mark all read"), otherwise the time they joined. A
muted thread or community has nothing unread.

Every list asks for its page's counts in one statement (`unread_counts`), whatever the number of
threads, members or posts; marking posts read runs when the member's browser reports them seen, in
batches, and tells their other devices (the user room's ephemeral `reading` event).
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g, has_request_context, request

from app.communities.models import Community, CommunityFollow
from app.core.time import utcnow
from app.discussions.models import CommunityRead, Post, Thread, ThreadFollow, ThreadRead
from app.extensions import db
from app.realtime import rooms
from app.realtime.services import send_ephemeral

# Ids accepted in one batch of posts seen (a page shows at most POSTS_PER_PAGE of them).
MARK_BATCH_MAX = 200


@dataclass(frozen=True)
class Unread:
    count: int  # posts the member has not read
    opened: bool  # whether they have opened the thread before (else it is new to them)


def _member(user) -> bool:
    return user is not None and user.is_authenticated


def unread_cutoff():
    """Posts older than this are read to every member: what is new and unread looks back
    `UNREAD_WINDOW_DAYS` (as FlaskBB's tracker length and Discourse's new-topic duration do), so a
    member's counts cost what the window holds, not the forum's whole history."""
    return utcnow() - timedelta(days=current_app.config["UNREAD_WINDOW_DAYS"])


def _floor(user, cutoff):
    """SQL: the time before which a thread's posts are read when the member has not opened it: when
    they marked its community read, else when they joined, and never before the window."""
    base = max(user.created_at, cutoff)
    return db.case((CommunityRead.read_at > base, CommunityRead.read_at), else_=base)


def _unread_post_clause(user):
    """SQL on Post joined to Thread, ThreadRead and CommunityRead (outer): unread to `user`."""
    cutoff = unread_cutoff()
    return db.and_(
        Post.published_clause(),
        Post.author_id != user.id,
        Post.created_at > cutoff,
        db.case(
            (ThreadRead.user_id.is_(None), Post.created_at > _floor(user, cutoff)),
            else_=Post.id > ThreadRead.read_through_id,
        ),
    )


def _with_state(query, user):
    """Outer-join a query on Thread to the member's read state and watch levels."""
    return (
        query.outerjoin(ThreadRead, db.and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == user.id))
        .outerjoin(
            CommunityRead,
            db.and_(CommunityRead.community_id == Thread.community_id, CommunityRead.user_id == user.id),
        )
        .outerjoin(
            ThreadFollow, db.and_(ThreadFollow.thread_id == Thread.id, ThreadFollow.user_id == user.id)
        )
        .outerjoin(
            CommunityFollow,
            db.and_(CommunityFollow.community_id == Thread.community_id, CommunityFollow.user_id == user.id),
        )
    )


def _not_muted():
    return db.and_(
        db.func.coalesce(ThreadFollow.level, "") != "muted",
        db.func.coalesce(CommunityFollow.level, "") != "muted",
    )


def unread_counts(user, thread_ids) -> dict[int, Unread]:
    """Per thread among `thread_ids` with something unread to `user`: how much, and whether they have
    opened it. One statement for a page of threads."""
    if not _member(user) or not thread_ids:
        return {}
    query = _with_state(
        db.select(
            Thread.id,
            db.func.count(Post.id),
            db.func.max(ThreadRead.read_beyond),
            db.func.max(ThreadRead.user_id),
        )
        .select_from(Thread)
        .join(Post, Post.thread_id == Thread.id),
        user,
    ).where(Thread.id.in_(list(thread_ids)), _unread_post_clause(user), _not_muted())
    counts = {}
    for thread_id, count, beyond, opened in db.session.execute(query.group_by(Thread.id)):
        # The ids read above the mark are unread-looking posts already counted: take them off.
        count -= len([part for part in (beyond or "").split(",") if part])
        if count > 0:
            counts[thread_id] = Unread(count, opened is not None)
    return counts


def _has_unread(user):
    """SQL on Thread joined as in `_with_state`: it has a post unread to `user`.

    A thread's last activity is at least its newest published post's time, so threads quiet since
    the window (or, unopened, since the member's floor) are passed over on their own row, by the
    activity index; the others are asked for one post, by an index range: after the floor for a
    thread the member has not opened, after their read mark for one they have.
    """
    cutoff = unread_cutoff()
    floor = _floor(user, cutoff)

    def posts_where(newer):
        posts = db.select(Post.id).where(
            Post.thread_id == Thread.id, Post.published_clause(), Post.author_id != user.id, newer
        )
        return db.exists(posts.correlate(Thread, ThreadRead, CommunityRead))

    return db.and_(
        Thread.last_activity_at > cutoff,
        db.or_(
            db.and_(
                ThreadRead.user_id.is_(None),
                Thread.last_activity_at > floor,
                posts_where(Post.created_at > floor),
            ),
            db.and_(
                ThreadRead.user_id.is_not(None),
                posts_where(db.and_(Post.id > ThreadRead.read_through_id, Post.created_at > cutoff)),
            ),
        ),
    )


def _followed(user):
    """SQL: the thread is in a community the member follows (any level but muted) or is itself
    watched or tracked; a member who follows no community follows them all."""
    follows_any = db.exists(
        db.select(CommunityFollow.user_id).where(
            CommunityFollow.user_id == user.id, CommunityFollow.level != "muted"
        )
    )
    return db.or_(
        ~follows_any,
        CommunityFollow.level.in_(("watching", "new_threads", "tracking")),
        ThreadFollow.level.in_(("watching", "tracking")),
    )


def _tracked():
    """SQL: the member opened the thread, or watches or tracks it or its community (the Unread list)."""
    return db.or_(
        ThreadRead.user_id.is_not(None),
        ThreadFollow.level.in_(("watching", "tracking")),
        CommunityFollow.level.in_(("watching", "tracking")),
    )


def new_threads_query(user, unread_only: bool = False, community: Community | None = None):
    """SQL: threads with posts unread to `user` in what they follow ("New"), latest activity first;
    `unread_only` keeps those they opened or track ("Unread")."""
    query = _with_state(db.select(Thread), user).where(
        Thread.readable_clause(user), _not_muted(), _has_unread(user)
    )
    query = query.where(_tracked()) if unread_only else query.where(_followed(user))
    if community is not None:
        query = query.where(Thread.community_id == community.id)
    return query.order_by(Thread.last_activity_at.desc(), Thread.id.desc())


@dataclass(frozen=True)
class Overview:
    """What is unread to a member across the site: the home page's and the header's figures."""

    new_count: int  # threads in their "New" list
    by_community: dict[int, int]  # threads with unread posts per community, muted ones left out
    tracked_ids: list[int]  # threads of their "Unread" list, latest activity first


def overview(user) -> Overview:
    """The member's `Overview`, from one statement over the threads with unread posts (those active
    in the unread window at most), asked once per request however many parts of a page show it."""
    if not _member(user):
        return Overview(0, {}, [])
    this_request = request._get_current_object() if has_request_context() else None
    kept = g.get("majlis_unread_overview") if this_request is not None else None
    if kept is not None and kept[0] is this_request and kept[1] == user.id:
        return kept[2]
    query = (
        _with_state(
            db.select(
                Thread.id, Thread.community_id, _followed(user).label("followed"), _tracked().label("tracked")
            ),
            user,
        )
        .select_from(Thread)
        .where(Thread.readable_clause(user), _not_muted(), _has_unread(user))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
    )
    new_count, by_community, tracked_ids = 0, {}, []
    for thread_id, community_id, followed, tracked in db.session.execute(query):
        new_count += 1 if followed else 0
        by_community[community_id] = by_community.get(community_id, 0) + 1
        if tracked:
            tracked_ids.append(thread_id)
    found = Overview(new_count, by_community, tracked_ids)
    if this_request is not None:
        g.majlis_unread_overview = (this_request, user.id, found)
    return found


def new_count(user) -> int:
    """How many threads the member's "New" list holds (the header's count)."""
    return overview(user).new_count


def new_by_community(user) -> dict[int, int]:
    """Threads with unread posts per community, muted ones left out (the home page's counts)."""
    return overview(user).by_community


def read_state(user, thread) -> ThreadRead | None:
    if not _member(user):
        return None
    return db.session.get(ThreadRead, (user.id, thread.id))


def thread_marks(user, thread) -> tuple[str, ThreadRead | None]:
    """The member's watch level on `thread` and their read state, in one statement (the thread page)."""
    if not _member(user):
        return "normal", None
    row = db.session.execute(
        db.select(ThreadFollow.level, ThreadRead)
        .select_from(Thread)
        .outerjoin(ThreadRead, db.and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == user.id))
        .outerjoin(
            ThreadFollow, db.and_(ThreadFollow.thread_id == Thread.id, ThreadFollow.user_id == user.id)
        )
        .where(Thread.id == thread.id)
    ).first()
    if row is None:
        return "normal", None
    return row[0] or "normal", row[1]


def _floor_of(user, thread) -> object:
    row = db.session.get(CommunityRead, (user.id, thread.community_id))
    return max(row.read_at if row is not None else user.created_at, unread_cutoff())


def _opened(user, thread) -> ThreadRead:
    """The member's read state for `thread`, created on first use with everything from before their
    floor already read (so opening a thread does not turn its old posts unread)."""
    state = read_state(user, thread)
    if state is not None:
        return state
    floor = _floor_of(user, thread)
    read_through = db.session.execute(
        db.select(db.func.max(Post.id)).where(Post.thread_id == thread.id, Post.created_at <= floor)
    ).scalar()
    state = ThreadRead(
        user_id=user.id, thread_id=thread.id, read_through_id=read_through or 0, read_beyond=""
    )
    db.session.add(state)
    return state


def _fold(state: ThreadRead, user, beyond: set[int]) -> None:
    """Move the mark up through the posts just above it that are read, the member's own, or not
    published; what stays above it is kept in `read_beyond`."""
    while beyond:
        rows = db.session.execute(
            db.select(Post.id, Post.author_id, Post.hidden_at, Post.deleted_at, Post.held_at)
            .where(Post.thread_id == state.thread_id, Post.id > state.read_through_id)
            .order_by(Post.id)
            .limit(len(beyond) + 20)
        ).all()
        for post_id, author_id, hidden_at, deleted_at, held_at in rows:
            skipped = author_id == user.id or hidden_at or deleted_at or held_at
            if post_id not in beyond and not skipped:
                state.beyond_ids = beyond
                return
            beyond.discard(post_id)
            state.read_through_id = post_id
        if not rows:
            beyond.clear()
    state.beyond_ids = beyond


def mark_read(user, thread, post_ids, seen_post_id: int | None = None) -> ThreadRead:
    """Record posts of `thread` as read by `user` (unknown ids and other threads' posts are ignored)
    and, when given, the post they were looking at."""
    state = _opened(user, thread)
    wanted = sorted({post_id for post_id in post_ids if post_id > state.read_through_id})[:MARK_BATCH_MAX]
    found = set()
    if wanted:
        found = set(
            db.session.execute(
                db.select(Post.id).where(Post.thread_id == thread.id, Post.id.in_(wanted))
            ).scalars()
        )
    if found:
        _fold(state, user, state.beyond_ids | found)
    if seen_post_id is not None and (seen_post_id in found or state.has_read(seen_post_id)):
        state.last_seen_post_id = seen_post_id
    state.updated_at = utcnow()
    db.session.flush()
    _tell_other_devices(user, thread)
    return state


def _tell_other_devices(user, thread) -> None:
    send_ephemeral(rooms.user(user.id), "reading", {"thread_id": thread.id})


def mark_communities_read(user, communities) -> None:
    """Everything in these communities read as of now: their read-up-to time moves to now and the
    threads opened there are read to their last post (one statement each, however many threads)."""
    now = utcnow()
    community_ids = [community.id for community in communities]
    if not community_ids:
        return
    existing = {
        row.community_id: row
        for row in db.session.execute(
            db.select(CommunityRead).where(
                CommunityRead.user_id == user.id, CommunityRead.community_id.in_(community_ids)
            )
        ).scalars()
    }
    for community_id in community_ids:
        row = existing.get(community_id)
        if row is None:
            db.session.add(CommunityRead(user_id=user.id, community_id=community_id, read_at=now))
        else:
            row.read_at = now
    last_post = (
        db.select(db.func.coalesce(db.func.max(Post.id), 0))
        .where(Post.thread_id == ThreadRead.thread_id)
        .scalar_subquery()
    )
    in_communities = db.select(Thread.id).where(Thread.community_id.in_(community_ids))
    db.session.execute(
        db.update(ThreadRead)
        .where(ThreadRead.user_id == user.id, ThreadRead.thread_id.in_(in_communities))
        .values(read_through_id=last_post, read_beyond="", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    send_ephemeral(rooms.user(user.id), "reading", {"thread_id": None})


def first_unread(user, thread, view: str, state: ThreadRead | None = None) -> Post | None:
    """The first post unread to `user` in the view's order (tree: depth-first; flat: oldest first)."""
    state = state or read_state(user, thread)
    if state is None:
        return None
    beyond = state.beyond_ids
    query = db.select(Post).where(
        Post.thread_id == thread.id,
        Post.published_clause(),
        Post.author_id != user.id,
        Post.id > state.read_through_id,
        Post.created_at > unread_cutoff(),
    )
    if beyond:
        query = query.where(Post.id.not_in(beyond))
    order = Post.tree_path if view == "tree" else Post.id
    return db.session.execute(query.order_by(order).limit(1)).scalars().first()
