"""Communities in the JSON API (/api/v1): the ones the reader may read, and their watch level."""

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from app import api
from app.communities import services
from app.communities.models import COMMUNITY_LEVELS, Community, readable_community_ids_clause, watch_level
from app.extensions import db

blp = api.Blueprint(
    "communities_api", __name__, description="Knowledge communities (one per WSIS action line)."
)


class CommunitySchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    parent = fields.Function(lambda c: c.parent.slug if c.parent_id else None, allow_none=True, required=True)
    restricted = fields.Boolean(required=True)
    url = fields.Function(lambda c: url_for("communities.show", slug=c.slug, _external=True), required=True)


class CommunityListSchema(Schema):
    items = fields.List(fields.Nested(CommunitySchema), required=True)


class CommunityLevelSchema(Schema):
    level = fields.String(required=True, validate=validate.OneOf(COMMUNITY_LEVELS))


def readable_community(slug: str) -> Community:
    """The community at `slug`, or a 404 problem when there is none the reader may read."""
    community = db.session.execute(db.select(Community).filter_by(slug=slug)).scalar_one_or_none()
    if community is None or not community.can_read(current_user):
        abort(404, message=_("No such community."))
    return community


@blp.route("/communities", methods=["GET"])
@blp.response(200, CommunityListSchema)
def communities():
    """The communities the reader may read, in the site's order (C7's sub-lines name their parent)."""
    api.require_read()
    rows = db.session.execute(
        db.select(Community).where(readable_community_ids_clause(current_user)).order_by(Community.position)
    ).scalars()
    return {"items": list(rows)}


@blp.route("/communities/<slug>", methods=["GET"])
@blp.response(200, CommunitySchema)
def community(slug):
    """One community."""
    api.require_read()
    return readable_community(slug)


@blp.route("/communities/<slug>/watch", methods=["GET"])
@blp.response(200, CommunityLevelSchema)
def community_level(slug):
    """The member's watch level on the community (normal when they never chose one)."""
    api.require_scope("read")
    return {"level": watch_level(current_user, readable_community(slug))}


@blp.route("/communities/<slug>/watch", methods=["PUT"])
@blp.arguments(CommunityLevelSchema)
@blp.response(200, CommunityLevelSchema)
def set_community_level(data, slug):
    """Watch, follow for new threads, track, mute, or go back to normal."""
    api.require_scope("write")
    found = readable_community(slug)
    if not found.can_follow(current_user):
        abort(403, message=_("You may not follow this community."))
    services.set_level(found, current_user._get_current_object(), data["level"])
    db.session.commit()
    return {"level": data["level"]}


def register(app) -> None:
    api.register(app, blp)
    api.register_path_example("slug", "c7-e-health")
