"""Settings: "Download my data" and "Delete my account" (app/auth/mydata.py)."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.auth import bp, mydata
from app.auth.forms import DeleteAccountForm
from app.auth.models import User
from app.core.refusals import Refused, show_refusal
from app.core.time import utcnow
from app.extensions import db


def _page(form, status=200):
    return render_template("auth/mydata.html", form=form), status


@bp.route("/settings/data")
@login_required
def my_data():
    """Download one's data, or delete one's account."""
    return _page(DeleteAccountForm(formdata=None))


@bp.route("/settings/data/export", methods=["POST"])
@login_required
def export_my_data():
    """A ZIP of the member's data: profile, posts, contributions, reactions, notifications, files."""
    user = db.session.get(User, current_user.id)
    archive = mydata.export_zip(user, user)
    db.session.commit()  # the export is audited
    name = f"majlis-{user.username}-{utcnow():%Y-%m-%d}.zip"
    return Response(
        archive, mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )  # fmt: skip


@bp.route("/settings/delete", methods=["POST"])
@login_required
def delete_account():
    """Delete the account (the password confirms it); the member is signed out."""
    user = db.session.get(User, current_user.id)
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        mydata.delete_account(user, form.password.data, form.erase_text.data)
    except Refused as refusal:
        db.session.rollback()
        show_refusal(form, refusal, "password")
        return _page(form, 400)
    db.session.commit()
    logout_user()
    flash(_("Your account is deleted."), "info")
    return redirect(url_for("communities.index"))
