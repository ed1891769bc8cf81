"""How search sees communities: who may read which, what `community:slug` covers, their names."""

from app.communities.models import Community, readable_community_ids_clause
from app.extensions import db
from app.search.registry import register_community_scope


class CommunityScope:
    """The communities' side of search (`app.search.registry.CommunityScope`)."""

    def hidden_ids(self, user) -> set[int]:
        """Restricted communities that `user` may not read."""
        return set(
            db.session.execute(
                db.select(Community.id).where(
                    Community.restricted.is_(True), ~readable_community_ids_clause(user)
                )
            ).scalars()
        )

    def expand(self, slug: str, user) -> set[int] | None:
        """Community `slug` with its sub-communities, if `user` may read it."""
        readable = db.select(Community.id).where(readable_community_ids_clause(user))
        community_id = db.session.execute(
            db.select(Community.id).where(Community.slug == slug, Community.id.in_(readable))
        ).scalar_one_or_none()
        return None if community_id is None else _with_descendants(community_id)

    def load(self, ids) -> dict:
        """{id: community} for these ids."""
        ids = list(ids)
        if not ids:
            return {}
        rows = db.session.execute(db.select(Community).where(Community.id.in_(ids))).scalars()
        return {community.id: community for community in rows}


def _with_descendants(community_id: int) -> set[int]:
    ids, frontier = {community_id}, {community_id}
    while frontier:
        frontier = (
            set(
                db.session.execute(db.select(Community.id).where(Community.parent_id.in_(frontier))).scalars()
            )
            - ids
        )
        ids |= frontier
    return ids


def register() -> None:
    register_community_scope(CommunityScope())
