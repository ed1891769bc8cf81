"""What discussions puts in a member's digest: new threads in the communities they follow, and
replies in the threads they follow, over the digest's period. One bounded query each."""

from app.communities.models import CommunityFollow
from app.discussions.models import Post, Thread, ThreadFollow
from app.extensions import db
from app.notifications import digests

DIGEST_ITEMS = 20  # per section: a digest is a summary with links, not the forum


def new_threads_in_followed_communities(user, since, until) -> list[Thread]:
    return list(
        db.session.execute(
            db.select(Thread)
            .join(CommunityFollow, CommunityFollow.community_id == Thread.community_id)
            .where(
                CommunityFollow.user_id == user.id, CommunityFollow.level.in_(("watching", "new_threads")),
                Thread.created_at > since, Thread.created_at <= until,
                Thread.author_id != user.id, Thread.readable_clause(user),
            )
            .order_by(Thread.created_at.desc())
            .limit(DIGEST_ITEMS)
        ).scalars()
    )  # fmt: skip


def replies_in_followed_threads(user, since, until) -> list[dict]:
    """Per followed thread with new replies by others: the thread, how many, and when the latest came."""
    rows = db.session.execute(
        db.select(Thread, db.func.count(Post.id), db.func.max(Post.created_at))
        .join(Post, Post.thread_id == Thread.id)
        .join(ThreadFollow, ThreadFollow.thread_id == Thread.id)
        .where(
            ThreadFollow.user_id == user.id, ThreadFollow.level == "watching", Post.created_at > since, Post.created_at <= until,
            Post.author_id != user.id, Post.parent_id.is_not(None), Post.published_clause(),
            Thread.readable_clause(user),
        )
        .group_by(Thread.id)
        .order_by(db.func.max(Post.created_at).desc())
        .limit(DIGEST_ITEMS)
    ).all()  # fmt: skip
    return [{"thread": thread, "count": count, "latest": latest} for thread, count, latest in rows]


def register() -> None:
    digests.register_section(
        "followed_community", new_threads_in_followed_communities, "discussions/mail/digest_threads", 10
    )
    digests.register_section(
        "followed_thread", replies_in_followed_threads, "discussions/mail/digest_replies", 20
    )
