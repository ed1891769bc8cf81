"""Read-side queries for communities."""

from app.communities.models import Community, readable_community_ids_clause
from app.extensions import db


def _no_activity() -> dict:
    return {}


_activity_by_community = _no_activity


def register_activity_stats(load) -> None:
    """Let a higher domain say what happens in each community: `load()` returns {community_id: {"threads",
    "posts", "latest"}} for the home listing (discussions registers its thread counts)."""
    global _activity_by_community
    _activity_by_community = load


def _no_listing(community, viewer, page):
    return None, {}


_page_listing = _no_listing


def register_page_listing(load) -> None:
    """Fill the community page's listing: `load(community, viewer, page)` returns (template, context), or
    None when that page does not exist (discussions registers its thread list)."""
    global _page_listing
    _page_listing = load


def community_page_listing(community, viewer, page: int):
    """The registered listing for this page of `community`, or None for a page past the end."""
    return _page_listing(community, viewer, page)


def community_listing(user):
    """Readable communities in order, each with thread count, post count and latest activity.

    Returns (top-level communities, {parent_id: [children]}, {community_id: stats}); two queries.
    """
    communities = list(
        db.session.execute(
            db.select(Community).where(readable_community_ids_clause(user)).order_by(Community.position)
        ).scalars()
    )
    stats = _activity_by_community()
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
