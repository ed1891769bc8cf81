"""Members' public profiles in the JSON API (/api/v1/users/{username}): what the profile page shows."""

from flask import url_for
from flask_babel import gettext as _
from flask_smorest import abort
from marshmallow import Schema, fields

from app import api
from app.auth.models import find_user_by_username

blp = api.Blueprint("users_api", __name__, description="Members' public profiles.")


class ProfileSchema(Schema):
    username = fields.String(required=True)
    display_name = fields.String(required=True, attribute="name")
    organisation = fields.String(required=True)
    stakeholder_group = fields.String(allow_none=True, required=True, attribute="stakeholder_type")
    country = fields.String(required=True)
    about = fields.String(required=True, attribute="bio", metadata={"description": "Plain text, as written."})
    joined_at = api.UTCDateTime(required=True, attribute="created_at")
    url = fields.Function(
        lambda user: url_for("auth.profile", username=user.username, _external=True), required=True
    )


@blp.route("/users/<username>", methods=["GET"])
@blp.response(200, ProfileSchema)
def profile(username):
    """A member's public profile."""
    api.require_read()
    user = find_user_by_username(username)
    if user is None:
        abort(404, message=_("Nobody has that username."))
    return user


def register(app) -> None:
    api.register(app, blp)
    api.register_path_example("username", "amina")
