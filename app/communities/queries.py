"""Read-side queries for communities."""

from app.communities.models import Community, readable_community_ids_clause
from app.discussions.models import Thread
from app.extensions import db


def community_listing(user):
    """Readable communities in order, each with thread count, post count and latest activity.

    Returns (top-level communities, {parent_id: [children]}, {community_id: stats}); two queries.
    """
    communities = list(
        db.session.execute(
            db.select(Community).where(readable_community_ids_clause(user)).order_by(Community.position)
        ).scalars()
    )
    stats_rows = db.session.execute(
        db.select(
            Thread.community_id,
            db.func.count(Thread.id),
            db.func.coalesce(db.func.sum(Thread.post_count), 0),
            db.func.max(Thread.last_activity_at),
        )
        .where(Thread.published_clause())
        .group_by(Thread.community_id)
    )
    stats = {row[0]: {"threads": row[1], "posts": row[2], "latest": row[3]} for row in stats_rows}
    children: dict[int, list[Community]] = {}
    top = []
    for community in communities:
        if community.parent_id:
            children.setdefault(community.parent_id, []).append(community)
        else:
            top.append(community)
    return top, children, stats


def community_by_slug(slug: str):
    return db.session.execute(db.select(Community).filter_by(slug=slug)).scalar_one_or_none()
