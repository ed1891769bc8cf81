"""Reactions: a member leaves one of the four kinds on someone else's post, or takes it back."""

from flask import current_app, request, url_for
from flask_login import current_user, login_required

from app.core.permissions import require
from app.core.ratelimits import per_member
from app.core.refusals import Refused, write
from app.discussions import bp, reactions
from app.discussions.routes import _load_post
from app.extensions import db


@bp.route("/p/<int:post_id>/react", methods=["POST"])
@login_required
@per_member(lambda: current_app.config["RATELIMIT_REACT"])
def react(post_id):
    """Leave a reaction (`kind`: like, agree, insightful or thanks) on a post, or take it back."""
    post = _load_post(post_id)
    require(post.can_react(current_user))
    kind = request.form.get("kind", "")
    if request.accept_mimetypes.best == "application/json":
        try:
            reacted = reactions.toggle_reaction(post, current_user, kind)
        except Refused as refusal:
            db.session.rollback()
            return {"error": str(refusal)}, 400
        db.session.commit()
        return {"reacted": reacted}, 200, {"Cache-Control": "no-store"}
    return write(
        None, lambda: reactions.toggle_reaction(post, current_user, kind),
        success=url_for("discussions.permalink", post_id=post.id),
    )  # fmt: skip
