"""Settings: a member's personal access tokens for the API (created, listed, revoked)."""

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import access_tokens, bp
from app.auth.forms import TOKEN_SCOPE_LABELS, AccessTokenForm
from app.auth.models import AccessToken, User
from app.core.refusals import write
from app.core.time import utcnow
from app.extensions import db


def _page(form, created=None, status=200):
    user = db.session.get(User, current_user.id)
    return render_template(
        "auth/tokens.html", form=form, tokens=access_tokens.live_tokens(user), created=created,
        scope_labels=TOKEN_SCOPE_LABELS, now=utcnow(),
    ), status  # fmt: skip


@bp.route("/settings/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """The member's API tokens; a new one's secret is shown on the answer to the form, once."""
    user = db.session.get(User, current_user.id)
    form = AccessTokenForm()
    return write(
        form,
        lambda: access_tokens.create_token(user, form.name.data, form.scopes.data, int(form.days.data)),
        render=lambda: _page(form)[0],
        success=url_for("auth.tokens"),
        shown=lambda made: _page(
            AccessTokenForm(formdata=None), created={"token": made[0], "secret": made[1]}, status=201
        ),
        field="name",
    )


@bp.route("/settings/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id):
    """Revoke a token: anything using it is refused from the next request."""
    token = db.session.get(AccessToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if not token.can_revoke(current_user):
        abort(403)
    return write(
        None, lambda: access_tokens.revoke_token(token), success=url_for("auth.tokens"),
        message=_("The token “%(name)s” is revoked.", name=token.name), category="info",
    )  # fmt: skip
