"""The language switcher: a plain form, so it works without JavaScript."""

from flask import Blueprint, abort, current_app, redirect, request, session, url_for
from flask_login import current_user

from app.auth.models import User
from app.core.urls import safe_next
from app.extensions import db
from app.i18n import services

bp = Blueprint("i18n", __name__)


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language for this session (and for the account when signed in), then go back."""
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    session["locale"] = language
    if current_user.is_authenticated:
        services.set_user_locale(db.session.get(User, current_user.id), language)
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("communities.index"))
