"""Knowledge communities, one per WSIS Action Line."""

from flask import Blueprint, Flask

from app.core import page_cache

bp = Blueprint("communities", __name__)


def init_app(app: Flask) -> None:
    """Register the communities blueprint and answer auth's "which communities does this user moderate"."""
    from app.auth.models import register_moderated_community_ids
    from app.communities import api, live, routes, search  # noqa: F401  (the routes attach to bp)
    from app.communities.moderators import moderated_community_ids
    from app.core import schema

    app.register_blueprint(bp)
    page_cache.register_cacheable("communities.index", "communities.show")
    page_cache.register_private_tables("community_follows")  # a member's watch levels
    schema.register_seeder(_seed)
    search.register()  # the communities a reader may search, and their facet labels
    live.register(app)  # the community room kind
    api.register(app)  # communities in the JSON API
    from app.communities import mydata

    mydata.register()  # follows, memberships and roles in a member's data
    register_moderated_community_ids(moderated_community_ids)


def _seed() -> str:
    from app.communities.seed import seed_communities

    added = seed_communities()
    return f"Seeded {added} communities." if added else ""
