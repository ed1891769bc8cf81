"""Administration: create and edit consultations, their phases (dates move; every change is logged)
and the secretariat and reviewer roles."""

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.auth.models import User, find_user_by_username
from app.consultation import services
from app.consultation.forms import ConsultationForm, PhaseForm, RoleForm
from app.consultation.models import Consultation, ConsultationRole, Phase
from app.consultation.routes import bp, load_consultation, owned_or_404, register_editor
from app.consultation.timezones import to_local, to_utc
from app.core import audit
from app.core.actions import FormActions
from app.core.audit import AuditEntry
from app.core.permissions import require
from app.core.refusals import write
from app.extensions import db

CONSULTATION_FIELDS = ("title", "slug", "description", "time_zone", "time_zone_label", "reference_prefix")


def _consultation_values(form) -> dict:
    return {name: (getattr(form, name).data or "").strip() for name in CONSULTATION_FIELDS}


@bp.route("/consultations/new", methods=["GET", "POST"])
@login_required
def new_consultation():
    """Administrators create a consultation."""
    require(Consultation.can_create(current_user))
    form = ConsultationForm()
    return write(
        form,
        lambda: services.create_consultation(current_user, **_consultation_values(form)),
        render=lambda: render_template(
            "consultation/manage/consultation_form.html", form=form, consultation=None
        ),
        success=lambda consultation: url_for("consultation.manage", slug=consultation.slug),
    )


@bp.route("/consultations/<slug>/manage", methods=["GET", "POST"])
@login_required
def manage(slug):
    """Edit a consultation's settings; lists its phases, roles and recent changes."""
    consultation = load_consultation(slug)
    require(consultation.can_edit(current_user))
    form = ConsultationForm(obj=None, data=None if _posting() else _consultation_data(consultation))
    return write(
        form,
        lambda: services.update_consultation(consultation, current_user, **_consultation_values(form)),
        render=lambda: _render_manage(consultation, form, RoleForm(formdata=None)),
        success=lambda _result: url_for("consultation.manage", slug=consultation.slug),
        message=_("Saved."),
    )


def _posting() -> bool:
    return request.method == "POST"


def _consultation_data(consultation) -> dict:
    return {
        "title": consultation.title, "slug": consultation.slug, "description": consultation.description_source,
        "time_zone": consultation.time_zone, "time_zone_label": consultation.time_zone_label,
        "reference_prefix": consultation.reference_prefix,
    }  # fmt: skip


def _render_manage(consultation, form, role_form):
    roles = (
        db.session.execute(
            db.select(ConsultationRole)
            .filter_by(consultation_id=consultation.id)
            .order_by(ConsultationRole.role)
        )
        .scalars()
        .all()
    )
    log = db.session.execute(
        db.select(AuditEntry)
        .where(db.or_(
            db.and_(AuditEntry.target_type == "consultation", AuditEntry.target_id == consultation.id),
            db.and_(AuditEntry.target_type == "phase", AuditEntry.target_id.in_([p.id for p in consultation.phases])),
        ), audit.readable_clause(current_user))
        .order_by(AuditEntry.id.desc()).limit(50)
    ).scalars().all()  # fmt: skip
    status = 400 if form.errors or role_form.errors else 200
    return render_template(
        "consultation/manage/manage.html", consultation=consultation, form=form, role_form=role_form,
        roles=roles, log=log,
    ), status  # fmt: skip


def _phase_values(form, consultation) -> dict:
    tz = consultation.time_zone
    return {
        "title": form.title.data or "", "kind": form.kind.data, "description": form.description.data or "",
        "starts_at": to_utc(form.starts_at.data, tz) if form.starts_at.data else None,
        "ends_at": to_utc(form.ends_at.data, tz) if form.ends_at.data else None,
        "all_day": form.all_day.data, "location": form.location.data or "",
    }  # fmt: skip


def _phase_data(phase) -> dict:
    tz = phase.consultation.time_zone
    local = lambda v: to_local(v, tz).replace(tzinfo=None) if v else None  # noqa: E731
    return {
        "title": phase.title, "kind": phase.kind, "description": phase.description, "location": phase.location,
        "starts_at": local(phase.starts_at), "ends_at": local(phase.ends_at), "all_day": phase.all_day,
    }  # fmt: skip


def _save_phase(consultation, phase, form) -> None:
    values = _phase_values(form, consultation)
    if phase is None:
        services.add_phase(consultation, current_user, reason=form.reason.data or "", **values)
    else:
        services.update_phase(phase, current_user, reason=form.reason.data or "", **values)


register_editor(
    Phase, "phase", allow=lambda consultation: consultation.can_edit(current_user),
    make_form=lambda consultation, data: PhaseForm(data=data), data=_phase_data, save=_save_phase,
    template="consultation/manage/phase_form.html", message=_l("The phase is saved."),
    success=lambda consultation, _result: url_for("consultation.manage", slug=consultation.slug),
    doc="Add a phase or change one (dates in the consultation's time zone); the change is logged.",
)  # fmt: skip


def _edited_consultation(slug) -> Consultation:
    consultation = load_consultation(slug)
    require(consultation.can_edit(current_user))
    return consultation


def _grant_role(consultation, form) -> User:
    user = find_user_by_username(form.username.data)
    if user is None:
        raise services.ConsultationError(_("No user has that name."), field="username")
    services.grant_role(consultation, current_user, user, form.role.data)
    return user


def _revoke_role(consultation, _form, user_id, role) -> None:
    """A role that is not there is a page that is not there: 404."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    try:
        services.revoke_role(consultation, current_user, user, role)
    except services.ConsultationError:
        abort(404)


settings_actions = FormActions(
    bp, "/consultations/<slug>", load=_edited_consultation,
    page=lambda consultation, role_form: _render_manage(
        consultation, ConsultationForm(data=_consultation_data(consultation)), role_form
    ),
    success=lambda consultation: url_for("consultation.manage", slug=consultation.slug),
    decorators=(login_required,),
)  # fmt: skip
settings_actions.add(
    "delete_phase", "/phases/<int:phase_id>/delete", doc="Remove a phase (logged).",
    run=lambda consultation, _form, phase_id: services.delete_phase(
        owned_or_404(Phase, consultation, phase_id), current_user
    ),
    message=_l("The phase is removed."),
)  # fmt: skip
settings_actions.add(
    "grant_role", "/roles", doc="Give a user the secretariat or reviewer role.",
    form=lambda consultation: RoleForm(), slot="role_form", field="username", run=_grant_role,
    message=lambda user: _("%(user)s now has the role.", user=user.username),
)  # fmt: skip
settings_actions.add(
    "revoke_role", "/roles/<int:user_id>/<role>/revoke", doc="Take a role away.", run=_revoke_role
)
