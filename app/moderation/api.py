"""Moderation in the JSON API (/api/v1, the `moderate` scope): hide and restore posts, lock and
unlock threads, through the same services (audit, notices to the author, live updates, search)."""

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from app import api
from app.discussions.api import PostSchema, ThreadSchema, with_bodies
from app.discussions.models import Post, Thread
from app.extensions import db
from app.moderation import services

blp = api.Blueprint("moderation_api", __name__, description="Moderation (tokens with the moderate scope).")


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


def _moderated_post(post_id: int) -> Post:
    api.require_scope("moderate")
    post = db.session.get(Post, post_id)
    if post is None or not post.can_read(current_user):
        abort(404, message=_("No such post."))
    if not post.thread.can_moderate(current_user):
        abort(403, message=_("You do not moderate this thread."))
    return post


def _moderated_thread(thread_id: int) -> Thread:
    api.require_scope("moderate")
    thread = db.session.get(Thread, thread_id)
    if thread is None or not thread.can_read(current_user):
        abort(404, message=_("No such thread."))
    if not thread.can_moderate(current_user):
        abort(403, message=_("You do not moderate this thread."))
    return thread


def _post_action(post_id: int, action, reason: str):
    post = _moderated_post(post_id)
    actor = current_user._get_current_object()
    api.perform(lambda: action(post, actor, reason))
    return with_bodies([post])[0]


def _thread_action(thread_id: int, action, reason: str):
    thread = _moderated_thread(thread_id)
    actor = current_user._get_current_object()
    api.perform(lambda: action(thread, actor, reason))
    return thread


@blp.route("/posts/<int:post_id>/hide", methods=["POST"])
@blp.arguments(ReasonSchema)
@blp.response(200, PostSchema)
def hide(data, post_id):
    """Hide a post (its author is told why); it shows a placeholder everywhere."""
    return _post_action(post_id, services.hide_post, data["reason"])


@blp.route("/posts/<int:post_id>/restore", methods=["POST"])
@blp.arguments(ReasonSchema)
@blp.response(200, PostSchema)
def restore(data, post_id):
    """Show a hidden post again."""
    return _post_action(post_id, services.restore_post, data["reason"])


@blp.route("/threads/<int:thread_id>/lock", methods=["POST"])
@blp.arguments(ReasonSchema)
@blp.response(200, ThreadSchema)
def lock(data, thread_id):
    """Lock a thread: no new replies but the moderators'."""
    return _thread_action(thread_id, services.lock_thread, data["reason"])


@blp.route("/threads/<int:thread_id>/unlock", methods=["POST"])
@blp.arguments(ReasonSchema)
@blp.response(200, ThreadSchema)
def unlock(data, thread_id):
    """Open a locked thread again."""
    return _thread_action(thread_id, services.unlock_thread, data["reason"])


def register(app) -> None:
    api.register(app, blp)
