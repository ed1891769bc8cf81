"""The notification centre."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.database import bounded_page
from app.core.permissions import get_or_404, require
from app.core.refusals import write
from app.extensions import csrf, db
from app.notifications import digests, kinds, mail, services
from app.notifications.forms import MailSettingsForm
from app.notifications.models import NEVER, OFF, Notification

bp = Blueprint("notifications", __name__)
PER_PAGE = 30


@bp.route("/notifications")
@login_required
def index():
    """Your notifications, newest first, unread highlighted."""
    page = bounded_page(request.args.get("page"))
    query = db.select(Notification).filter_by(user_id=current_user.id).order_by(Notification.id.desc())
    notifications = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    if page > 1 and not notifications.items:
        abort(404)
    return render_template("notifications/index.html", notifications=notifications)


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id):
    """Mark one notification read and go to what it is about."""
    notification = get_or_404(Notification, notification_id)
    require(notification.can_read(current_user), hide=True)
    services.mark_read(notification)
    db.session.commit()
    if request.form.get("stay"):
        return redirect(url_for("notifications.index"))
    return redirect(notification.url or url_for("notifications.index"))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    """Mark every notification read."""
    services.mark_all_read(current_user)
    db.session.commit()

    flash(_("All notifications are marked read."), "info")
    return redirect(url_for("notifications.index"))


# Mail -------------------------------------------------------------------------------------------------


@bp.route("/settings/mail", methods=["GET", "POST"])
@login_required
def mail_settings():
    """Which notifications come by mail."""
    groups = kinds.mail_groups()
    form = MailSettingsForm.for_groups(
        groups,
        mail.preferences_of(current_user.id),
        digests.schedule_of(current_user.id).frequency,
        digests.digestible,
    )
    return write(
        form,
        lambda: _save_mail_settings(form, groups),
        render=lambda: render_template("notifications/mail_settings.html", form=form, groups=groups),
        success=url_for("notifications.mail_settings"),
        message=_("Your mail settings are saved."),
    )


def _save_mail_settings(form, groups) -> None:
    for group in groups:
        mail.set_preference(current_user.id, group.name, form[group.name].data)
    digests.set_frequency(current_user.id, form.digest_frequency.data)


@bp.route("/mail/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no cookies
def unsubscribe(token):
    """One-click unsubscribe from one group of notification mail; no sign-in needed, the link is signed."""
    target = mail.unsubscribe_target(token)
    if target is None:
        abort(404)
    user, group = target
    label = _("The daily or weekly digest") if group == mail.DIGEST_GROUP else kinds.mail_group(group).label
    if request.method == "GET":
        return render_template("notifications/unsubscribe.html", label=label, done=False)
    if group == mail.DIGEST_GROUP:
        digests.set_frequency(user.id, NEVER)
    else:
        mail.set_preference(user.id, group, OFF)
    db.session.commit()
    return render_template("notifications/unsubscribe.html", label=label, done=True)
