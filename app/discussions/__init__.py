"""Threads and posts: the tree of replies, its flat view, edits and revisions."""

from flask import Blueprint, Flask

from app.core import page_cache

bp = Blueprint("discussions", __name__)


def init_app(app: Flask) -> None:
    """Register the discussions blueprint, the community pages' thread lists, the profile's threads and
        replies, how search sees threads and posts, the notifications discussions send, its room kind and its
    signal subscribers."""
    from app.auth import profile
    from app.discussions import (  # noqa: F401  (the routes attach to bp)
        api,
        attachments,
        bookmark_routes,
        bookmarks,
        digest,
        feeds,
        home,
        listings,
        live,
        mail_replies,
        notifications,
        places,
        reaction_routes,
        reactions,
        reading_routes,
        routes,
        search,
        subscribers,
    )
    from app.discussions.queries import posts_by, threads_by

    app.register_blueprint(bp)
    page_cache.register_cacheable("discussions.show_thread")
    # A member's reading, watch levels and bookmarks change no page a visitor sees.
    page_cache.register_private_tables(
        "thread_reads", "community_reads", "thread_follows", "bookmarks", "feed_keys"
    )
    listings.register()
    bookmarks.register()  # the post footer's bookmark button, reminders as notifications
    reactions.register(app)  # the post footer's reactions
    places.register()  # drafts of replies and new threads; supports on proposals
    home.register()  # the home page's "New for you" and per-community counts
    search.register()  # threads and posts as search documents
    notifications.register()  # kinds: replies, mentions, followed threads and communities
    mail_replies.register()  # replies by mail become posts
    digest.register()  # new threads and replies in what a member follows, in their digest
    attachments.register()  # files on posts, seen by whoever sees the post's body
    live.register(app)  # the thread room kind
    api.register(app)  # threads and posts in the JSON API
    from app.discussions import mydata

    mydata.register()  # threads, posts, reactions and bookmarks in a member's data
    from app.discussions import webhooks

    webhooks.register()  # its webhook events
    subscribers.connect()
    profile.register_section("threads", "discussions/_profile_threads.html", threads_by)
    profile.register_section("posts", "discussions/_profile_posts.html", posts_by)
    profile.register_section("reactions", "discussions/_profile_reactions.html", reactions.received_by)
