"""What communities' pages show of discussions: the home page's counts and a community's thread list."""

from flask import current_app

from app.communities import queries as community_queries
from app.discussions import reading
from app.discussions.models import Thread
from app.discussions.queries import community_threads
from app.extensions import db


def activity_by_community() -> dict[int, dict]:
    """Per community: published threads, their posts and the latest activity (one query)."""
    rows = db.session.execute(
        db.select(
            Thread.community_id,
            db.func.count(Thread.id),
            db.func.coalesce(db.func.sum(Thread.post_count), 0),
            db.func.max(Thread.last_activity_at),
        )
        .where(Thread.published_clause())
        .group_by(Thread.community_id)
    )
    return {row[0]: {"threads": row[1], "posts": row[2], "latest": row[3]} for row in rows}


def community_page_threads(community, viewer, page: int):
    """This page of the community's threads, pinned first then by latest activity; None past the end."""
    threads = community_threads(
        community,
        page,
        current_app.config["THREADS_PER_PAGE"],
        community.can_moderate(viewer),
        viewer=viewer,
    )
    if page > 1 and not threads.items:
        return None
    unread = reading.unread_counts(viewer, [thread.id for thread in threads.items])
    return "discussions/_community_threads.html", {"threads": threads, "unread": unread}


def register() -> None:
    community_queries.register_activity_stats(activity_by_community)
    community_queries.register_page_listing(community_page_threads)
