"""Loading and authorising objects for moderation routes."""

from flask_login import current_user

from app.auth.models import User, find_user_by_username
from app.communities.queries import community_by_slug
from app.core.permissions import get_or_404, require
from app.discussions.models import Post, Thread


def actor() -> User:
    """The signed-in user as a plain model object (for services and signals)."""
    return current_user._get_current_object()


def moderated_post(post_id) -> Post:
    """The post, 404 if unknown or unreadable, 403 unless the user moderates its community."""
    post = get_or_404(Post, post_id)
    require(post.can_read(current_user), hide=True)
    require(post.thread.can_moderate(current_user))
    return post


def moderated_thread(thread_id) -> Thread:
    thread = get_or_404(Thread, thread_id)
    require(thread.can_read(current_user), hide=True)
    require(thread.can_moderate(current_user))
    return thread


def community_or_404(slug):
    community = community_by_slug(slug)
    require(community is not None and community.can_read(current_user), hide=True)
    return community


def member_or_404(username) -> User:
    member = find_user_by_username(username)
    require(member is not None, hide=True)
    return member
