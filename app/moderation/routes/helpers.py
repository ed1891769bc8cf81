"""Loading and authorising objects for moderation routes, and the shape every action shares."""

from flask import flash, redirect
from flask_login import current_user

from app.auth.models import User, find_user_by_username
from app.communities.queries import community_by_slug
from app.core.permissions import get_or_404, require
from app.discussions.models import Post, Thread
from app.extensions import db


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


def form_errors_flash(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")


def done(message, target_url):
    """Commit the action and go back where it was taken."""
    db.session.commit()
    flash(message, "success")
    return redirect(target_url)


def form_action(form, on_error, run, message, url, error_field="reason"):
    """Validate `form`, run the service, commit once and go back; else re-render with status 400.

    Every moderation action has this shape. `on_error(form)` renders the page the form came from
    (with what was typed and its errors); `run(form)` calls the service and may raise
    `ModerationError`, whose message goes to `form[error_field]`. `message` and `url` are the flash
    text and the place to go back to, or callables given what `run` returned.
    """
    from app.moderation.services import ModerationError

    if not form.validate_on_submit():
        return on_error(form)
    try:
        result = run(form)
    except ModerationError as error:
        form[error_field].errors.append(str(error))
        return on_error(form)
    return done(message(result) if callable(message) else message, url(result) if callable(url) else url)
