"""The notification centre."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.database import bounded_page
from app.core.permissions import get_or_404, require
from app.extensions import db
from app.notifications import services
from app.notifications.models import Notification

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
