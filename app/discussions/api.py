"""Threads and posts in the JSON API (/api/v1): read what the reader may, write through the services.

Every endpoint loads, authorises with the models' `can_*` (404 for what the reader may not see,
403 for what they see but may not do), validates with a schema and calls the same service as the
web form, so posting rules, holds, rate limits, audit, live updates and search behave as on the
site. A removed post keeps its place in the tree (its id and parent) without its text, as on the page.
"""

import base64
import binascii
from datetime import datetime

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from app import api
from app.communities.api import readable_community
from app.core.database import MAX_ID
from app.core.ratelimits import per_member
from app.discussions import reactions, services
from app.discussions.bodies import bodies_html
from app.discussions.models import (
    BODY_MAX,
    BODY_MIN,
    REACTION_KINDS,
    THREAD_LEVELS,
    TITLE_MAX,
    TITLE_MIN,
    Post,
    Reaction,
    Thread,
)  # fmt: skip
from app.discussions.queries import published_posts_for
from app.discussions.reading import thread_marks
from app.extensions import db

blp = api.Blueprint("threads_api", __name__, description="Threads and their posts.")

PAGE_MAX = 100


class AuthorSchema(Schema):
    username = fields.String(required=True)
    display_name = fields.String(required=True, attribute="name")
    url = fields.Function(lambda user: url_for("auth.profile", username=user.username, _external=True))


class ThreadSchema(Schema):
    id = fields.Integer(required=True)
    community = fields.Function(lambda thread: thread.community.slug, required=True)
    title = fields.String(required=True)
    author = fields.Nested(AuthorSchema, required=True)
    created_at = api.UTCDateTime(required=True)
    last_activity_at = api.UTCDateTime(required=True)
    post_count = fields.Integer(required=True)
    locked = fields.Boolean(required=True)
    pinned = fields.Boolean(required=True)
    proposal = fields.Boolean(required=True)
    url = fields.Function(
        lambda thread: url_for("discussions.show_thread", thread_id=thread.id, _external=True)
    )


class ThreadPageSchema(Schema):
    items = fields.List(fields.Nested(ThreadSchema), required=True)
    next_cursor = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Pass as `cursor` for the next page; null at the end."},
    )


class PostSchema(Schema):
    id = fields.Integer(required=True)
    thread_id = fields.Integer(required=True)
    parent_id = fields.Integer(allow_none=True, required=True)
    depth = fields.Integer(required=True)
    author = fields.Nested(AuthorSchema, required=True)
    created_at = api.UTCDateTime(required=True)
    edited_at = api.UTCDateTime(allow_none=True, required=True)
    removed = fields.Boolean(required=True, attribute="is_removed")
    held = fields.Boolean(required=True, attribute="is_held")
    body = fields.String(
        attribute="shown_body",
        allow_none=True,
        required=True,
        metadata={"description": "Markdown; null for a removed post."},
    )
    body_html = fields.String(
        attribute="shown_html",
        allow_none=True,
        required=True,
        metadata={"description": "Sanitised HTML; null for a removed post."},
    )
    url = fields.Function(lambda post: url_for("discussions.permalink", post_id=post.id, _external=True))


class PostPageSchema(Schema):
    items = fields.List(fields.Nested(PostSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class ListArgs(Schema):
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=PAGE_MAX))


class ThreadListArgs(ListArgs):
    since = api.UTCDateTime(
        load_default=None,
        metadata={"description": "Only threads active after this time (ISO 8601)."},
    )


class PostListArgs(ListArgs):
    view = fields.String(load_default="tree", validate=validate.OneOf(("tree", "flat")))


class NewThreadSchema(Schema):
    title = fields.String(
        required=True, validate=validate.Length(min=TITLE_MIN, max=TITLE_MAX),
        metadata={"example": "Community networks for rural schools"},
    )  # fmt: skip
    body = fields.String(
        required=True, validate=validate.Length(min=BODY_MIN, max=BODY_MAX),
        metadata={"example": "Which **funding models** have worked where you are?"},
    )  # fmt: skip


class ReplySchema(Schema):
    body = fields.String(
        required=True, validate=validate.Length(min=BODY_MIN, max=BODY_MAX),
        metadata={"example": "In our district a cooperative runs the network."},
    )  # fmt: skip
    parent_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))


class EditSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(min=BODY_MIN, max=BODY_MAX))
    reason = fields.String(load_default="", validate=validate.Length(max=300))


# Cursors -------------------------------------------------------------------------------------------


def _encode(*parts) -> str:
    return base64.urlsafe_b64encode("|".join(str(part) for part in parts).encode()).decode().rstrip("=")


def _decode(cursor: str, count: int) -> list[str]:
    """A cursor's parts, or 422 for one this API did not give out."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    parts = text.split("|")
    if len(parts) != count:
        abort(
            422,
            message=_("Unknown cursor."),
            errors={"query": {"cursor": ["Pass back a next_cursor as it was given."]}},
        )
    return parts


# Loading with permission ---------------------------------------------------------------------------


def _readable_thread(thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id)
    if thread is None or not thread.can_read(current_user):
        abort(404, message=_("No such thread."))
    return thread


def _readable_post(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not post.can_read(current_user):
        abort(404, message=_("No such post."))
    return post


def with_bodies(posts: list[Post]) -> list[Post]:
    """Each post with `body` and `body_html` as the reader may see them (none for a removed post
    unless they moderate it)."""
    shown = [post for post in posts if post.can_view_body(current_user)]
    html = bodies_html(shown)
    for post in posts:
        visible = post in shown
        post.shown_body = post.body_source if visible else None
        post.shown_html = html[post.id] if visible else None
    return posts


# Reading ------------------------------------------------------------------------------------------


@blp.route("/communities/<slug>/threads", methods=["GET"])
@blp.arguments(ThreadListArgs, location="query")
@blp.response(200, ThreadPageSchema)
def community_threads(args, slug):
    """A community's threads, latest activity first (held threads only for their author and moderators)."""
    api.require_read()
    community = readable_community(slug)
    query = db.select(Thread).filter_by(community_id=community.id)
    if not community.can_moderate(current_user):
        query = query.where(Thread.listed_clause(current_user))
    if args["since"] is not None:
        query = query.where(Thread.last_activity_at > args["since"])
    if args["cursor"]:
        when, thread_id = _decode(args["cursor"], 2)
        try:
            when, thread_id = datetime.fromisoformat(when), int(thread_id)
        except ValueError:
            abort(422, message=_("Unknown cursor."))
        if not 0 < thread_id <= MAX_ID or when.tzinfo is not None:
            abort(422, message=_("Unknown cursor."))
        query = query.where(
            db.or_(
                Thread.last_activity_at < when,
                db.and_(Thread.last_activity_at == when, Thread.id < thread_id),
            )
        )
    threads = list(
        db.session.execute(
            query.order_by(Thread.last_activity_at.desc(), Thread.id.desc()).limit(args["limit"] + 1)
        ).scalars()
    )
    more = len(threads) > args["limit"]
    threads = threads[: args["limit"]]
    last = threads[-1] if threads else None
    return {
        "items": threads,
        "next_cursor": _encode(last.last_activity_at.isoformat(), last.id) if more else None,
    }


@blp.route("/threads/<int:thread_id>", methods=["GET"])
@blp.response(200, ThreadSchema)
def thread(thread_id):
    """One thread."""
    api.require_read()
    return _readable_thread(thread_id)


@blp.route("/threads/<int:thread_id>/posts", methods=["GET"])
@blp.arguments(PostListArgs, location="query")
@blp.response(200, PostPageSchema)
def thread_posts(args, thread_id):
    """A thread's posts, each with its parent's id: in tree order (depth first) or flat (oldest first)."""
    api.require_read()
    found = _readable_thread(thread_id)
    order = Post.tree_path if args["view"] == "tree" else Post.id
    query = db.select(Post).where(Post.thread_id == found.id, published_posts_for(current_user, found))
    if args["cursor"]:
        (after,) = _decode(args["cursor"], 1)
        if args["view"] == "flat" and not (after.isdigit() and int(after) <= MAX_ID):
            abort(422, message=_("Unknown cursor."))
        if args["view"] == "tree" and (len(after) > 2000 or "\x00" in after):
            abort(422, message=_("Unknown cursor."))
        query = query.where(order > (int(after) if args["view"] == "flat" else after))
    posts = list(db.session.execute(query.order_by(order).limit(args["limit"] + 1)).scalars())
    more = len(posts) > args["limit"]
    posts = posts[: args["limit"]]
    cursor = None
    if more:
        cursor = _encode(posts[-1].id if args["view"] == "flat" else posts[-1].tree_path)
    with found.answers_kept():
        return {"items": with_bodies(posts), "next_cursor": cursor}


@blp.route("/posts/<int:post_id>", methods=["GET"])
@blp.response(200, PostSchema)
def post(post_id):
    """One post."""
    api.require_read()
    return with_bodies([_readable_post(post_id)])[0]


# Writing ------------------------------------------------------------------------------------------


@blp.route("/communities/<slug>/threads", methods=["POST"])
@per_member(lambda: current_app.config["RATELIMIT_NEW_THREAD"])
@blp.arguments(NewThreadSchema)
@blp.response(201, ThreadSchema)
def start_thread(data, slug):
    """Start a thread (held for approval where the community's rules say so)."""
    api.require_scope("write")
    community = readable_community(slug)
    if not community.can_start_thread(current_user):
        abort(403, message=_("You may not start a thread here."))
    author = current_user._get_current_object()
    return api.perform(lambda: services.start_thread(community, author, data["title"], data["body"]))


@blp.route("/threads/<int:thread_id>/posts", methods=["POST"])
@per_member(lambda: current_app.config["RATELIMIT_REPLY"])
@blp.arguments(ReplySchema)
@blp.response(201, PostSchema)
def reply(data, thread_id):
    """Reply to the thread, or to one of its posts (`parent_id`)."""
    api.require_scope("write")
    found = _readable_thread(thread_id)
    if not found.can_reply(current_user):
        abort(403, message=_("You may not reply to this thread."))
    parent = None
    if data["parent_id"] is not None:
        parent = db.session.get(Post, data["parent_id"])
        if parent is None or parent.thread_id != found.id or not parent.can_reply(current_user):
            abort(
                422,
                message=_("You cannot reply to that post."),
                errors={"json": {"parent_id": ["Not a post of this thread you may answer."]}},
            )
    author = current_user._get_current_object()
    made = api.perform(lambda: services.reply(found, author, data["body"], parent=parent))
    return with_bodies([made])[0]


@blp.route("/posts/<int:post_id>", methods=["PATCH"])
@blp.arguments(EditSchema)
@blp.response(200, PostSchema)
def edit(data, post_id):
    """Edit one's own post (every version is kept, as on the site)."""
    api.require_scope("write")
    found = _readable_post(post_id)
    if not found.can_edit(current_user):
        abort(403, message=_("You may not edit this post."))
    editor = current_user._get_current_object()
    api.perform(lambda: services.edit_post(found, editor, data["body"], data["reason"]))
    return with_bodies([found])[0]


class ThreadLevelSchema(Schema):
    level = fields.String(required=True, validate=validate.OneOf(THREAD_LEVELS))


class ReactionsSchema(Schema):
    mine = fields.List(
        fields.String(), required=True, metadata={"description": "The reader's reactions on the post."}
    )
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


def _reactions_of(post: Post) -> dict:
    rows = db.session.execute(
        db.select(Reaction.kind, Reaction.user_id).where(Reaction.post_id == post.id)
    ).all()
    counts = {kind: 0 for kind in REACTION_KINDS}
    for kind, _user_id in rows:
        counts[kind] += 1
    me = current_user.id if current_user.is_authenticated else None
    return {"mine": [kind for kind, user_id in rows if user_id == me], "counts": counts}


@blp.route("/threads/<int:thread_id>/watch", methods=["GET"])
@blp.response(200, ThreadLevelSchema)
def thread_level(thread_id):
    """The member's watch level on the thread."""
    api.require_scope("read")
    return {"level": thread_marks(current_user, _readable_thread(thread_id))[0]}


@blp.route("/threads/<int:thread_id>/watch", methods=["PUT"])
@blp.arguments(ThreadLevelSchema)
@blp.response(200, ThreadLevelSchema)
def set_thread_level(data, thread_id):
    """Watch, track, mute, or go back to normal."""
    api.require_scope("write")
    found = _readable_thread(thread_id)
    if not found.can_follow(current_user):
        abort(403, message=_("You may not follow this thread."))
    services.set_thread_level(found, current_user._get_current_object(), data["level"])
    db.session.commit()
    return {"level": data["level"]}


@blp.route("/posts/<int:post_id>/reactions", methods=["GET"])
@blp.response(200, ReactionsSchema)
def post_reactions(post_id):
    """How many of each reaction the post has, and the reader's own (none on a removed post)."""
    api.require_read()
    found = _readable_post(post_id)
    if found.is_removed:
        return {"mine": [], "counts": {kind: 0 for kind in REACTION_KINDS}}
    return _reactions_of(found)


def _react(post_id: int, kind: str, wanted: bool) -> dict:
    api.require_scope("write")
    found = _readable_post(post_id)
    if kind not in REACTION_KINDS:
        abort(404, message=_("No such reaction."))
    if not found.can_react(current_user):
        abort(403, message=_("You may not react to this post."))
    if (kind in _reactions_of(found)["mine"]) != wanted:
        reactions.toggle_reaction(found, current_user._get_current_object(), kind)
        db.session.commit()
    return _reactions_of(found)


@blp.route("/posts/<int:post_id>/reactions/<kind>", methods=["PUT"])
@per_member(lambda: current_app.config["RATELIMIT_REACT"])
@blp.response(200, ReactionsSchema)
def react(post_id, kind):
    """Leave a reaction (like, agree, insightful, thanks); leaving it twice changes nothing."""
    return _react(post_id, kind, True)


@blp.route("/posts/<int:post_id>/reactions/<kind>", methods=["DELETE"])
@per_member(lambda: current_app.config["RATELIMIT_REACT"])
@blp.response(200, ReactionsSchema)
def unreact(post_id, kind):
    """Take a reaction back."""
    return _react(post_id, kind, False)


def register(app) -> None:
    api.register(app, blp)
    for name in ("thread_id", "post_id"):
        api.register_path_example(name, 1)
    api.register_path_example("kind", "like")
