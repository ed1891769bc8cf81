"""The audit log (filters, pages, the administrators' CSV) and a community's public moderation log."""

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.audit import AuditEntry
from app.core.database import bounded_page
from app.core.permissions import require
from app.extensions import db
from app.moderation import audit_export
from app.moderation.audit_filters import filter_arguments, filter_form, filtered_entries
from app.moderation.models import PUBLIC_ACTIONS, can_export_audit_log, can_view_audit_log
from app.moderation.routes import bp
from app.moderation.routes.helpers import community_or_404

LOG_PER_PAGE = 50


def _page(query):
    return db.paginate(
        query, page=bounded_page(request.args.get("page")), per_page=LOG_PER_PAGE, error_out=False
    )


@bp.route("/moderation/log")
@login_required
def audit_log():
    """Every moderator and administrator action the user may read (admins all, moderators their
    communities'), narrowed by the filters; a filter value that cannot be used is said on the page."""
    require(can_view_audit_log(current_user))
    form = filter_form(current_user, request.args)
    page = _page(filtered_entries(current_user, form)) if form.validate() else None
    return render_template(
        "moderation/log.html", page=page, form=form, public=False,
        arguments=filter_arguments(request.args), can_export=can_export_audit_log(current_user),
    )  # fmt: skip


@bp.route("/moderation/log.csv")
@login_required
def audit_log_csv():
    """Administrators: the entries the filters select, as a spreadsheet."""
    require(can_export_audit_log(current_user))
    form = filter_form(current_user, request.args)
    if not form.validate():  # the page says what is wrong with the filters
        return redirect(url_for("moderation.audit_log", **filter_arguments(request.args)))
    entries = db.session.execute(filtered_entries(current_user, form)).scalars()
    return Response(
        audit_export.as_csv(entries, current_user), mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )  # fmt: skip


@bp.route("/c/<slug>/moderation-log")
def public_log(slug):
    """A community's moderation log: actions on content, no personal data; if the community does not
    publish it, a page that says so."""
    community = community_or_404(slug)
    page = None
    if community.public_moderation_log:
        page = _page(
            db.select(AuditEntry)
            .where(
                AuditEntry.community_id == community.id,
                AuditEntry.action.in_(PUBLIC_ACTIONS),
                AuditEntry.audience.is_(None),
            )
            .order_by(AuditEntry.id.desc())
        )
    return render_template("moderation/log.html", page=page, public=True, community=community)
