"""Threads and posts: the tree of replies, its flat view, edits and revisions."""

from flask import Blueprint, Flask

bp = Blueprint("discussions", __name__)


def init_app(app: Flask) -> None:
    """Register the discussions blueprint, the community pages' thread lists, the profile's threads and
    replies, how search sees threads and posts, and the notifications discussions send."""
    from app.auth import profile
    from app.discussions import listings, live, notifications, routes, search  # noqa: F401  (routes attach)
    from app.discussions.queries import posts_by, threads_by

    app.register_blueprint(bp)
    listings.register()
    search.register()  # threads and posts as search documents, and the signals that reindex them
    notifications.register()  # replies, mentions, followed threads and communities
    live.register(app)  # the thread room kind, post and thread events
    profile.register_section("threads", "discussions/_profile_threads.html", threads_by)
    profile.register_section("posts", "discussions/_profile_posts.html", posts_by)
