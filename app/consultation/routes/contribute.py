"""Writing contributions: start a draft of a given type, edit it, submit, withdraw, ask for late acceptance."""

from datetime import date

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.communities.models import Community
from app.consultation import services
from app.consultation.forms import NoteForm, contribution_form, contribution_values
from app.consultation.models import Consultation, ContributionType
from app.consultation.routes import bp, guarded_page, load_consultation, load_contribution
from app.consultation.routes.public import render_contribution
from app.core.permissions import require
from app.core.refusals import write
from app.core.time import utcnow
from app.extensions import db
from app.files import services as files


def _action_line_choices():
    communities = db.session.execute(
        db.select(Community).where(Community.restricted.is_(False)).order_by(Community.position, Community.id)
    ).scalars()
    return [(c.id, c.title()) for c in communities]


def _kind_or_404(kind) -> ContributionType:
    if kind not in set(ContributionType):
        abort(404)
    return ContributionType(kind)


def _contribution_url(contribution):
    return url_for(
        "consultation.show_contribution", slug=contribution.consultation.slug, contribution_id=contribution.id
    )


def _submit_if_asked(contribution):
    """After saving: submit when the person pressed "Save and submit"; a refusal keeps the draft."""
    if request.form.get("action") != "submit":
        flash(_("Your draft is saved."), "success")
        return contribution
    try:
        services.submit(contribution, current_user)
    except services.ConsultationError as refusal:
        flash(_("Your draft is saved, but it was not submitted: %(why)s", why=refusal), "error")
    else:
        flash(_("Submitted as %(reference)s.", reference=contribution.reference), "success")
    return contribution


guarded_page(
    "choose_type", "/consultations/<slug>/contribute", doc="Choose what kind of contribution to write.",
    allowed=Consultation.can_contribute, template="consultation/choose_type.html",
    types=list(ContributionType), now=lambda _consultation, _user: utcnow(),
)  # fmt: skip


@bp.route("/consultations/<slug>/contribute/<kind>", methods=["GET", "POST"])
@login_required
def new_contribution(slug, kind):
    """Write a new contribution; it is saved as a draft, and submitted too if asked and still open."""
    consultation = load_consultation(slug)
    kind = _kind_or_404(kind)
    require(consultation.can_contribute(current_user))
    form = contribution_form(kind, _action_line_choices())
    return write(
        form,
        lambda: _submit_if_asked(
            _with_files(
                services.create_contribution(consultation, current_user, kind, **contribution_values(form)),
                form,
            )
        ),
        render=lambda: _render_form(consultation, kind, form, None),
        success=_contribution_url,
    )


def _render_form(consultation, kind, form, contribution):
    status = 400 if form.errors else 200
    attached = (
        files.attachments_of("contribution", [contribution.id]).get(contribution.id, [])
        if contribution
        else []
    )
    return render_template(
        "consultation/contribution_form.html", consultation=consultation, kind=kind, form=form,
        contribution=contribution, now=utcnow(), attached_files=attached,
    ), status  # fmt: skip


def _form_data(contribution) -> dict:
    details = contribution.details
    for name in ("event_start", "event_end"):
        if details.get(name):
            details[name] = date.fromisoformat(details[name])
    return {
        "title": contribution.title, "summary": contribution.summary, "body": contribution.body_source,
        "action_lines": contribution.community_ids, "region": contribution.submitter_region, "details": details,
    }  # fmt: skip


@bp.route("/consultations/<slug>/contributions/<int:contribution_id>/edit", methods=["GET", "POST"])
@login_required
def edit_contribution(slug, contribution_id):
    """Edit a draft (any time) or a submitted contribution (until the deadline)."""
    consultation = load_consultation(slug)
    contribution = load_contribution(consultation, contribution_id)
    require(contribution.can_edit(current_user))
    data = None if request.method == "POST" else _form_data(contribution)
    form = contribution_form(contribution.kind, _action_line_choices(), data=data)
    return write(
        form,
        lambda: _save_edit(contribution, form),
        render=lambda: _render_form(consultation, contribution.kind, form, contribution),
        success=_contribution_url(contribution),
    )


def _with_files(contribution, form):
    """Attach the files uploaded with the form (before a submission asked for in the same form)."""
    files.attach(form.attachment_ids(), "contribution", contribution.id, current_user)
    return contribution


def _save_edit(contribution, form) -> None:
    services.edit_contribution(contribution, current_user, **contribution_values(form))
    _with_files(contribution, form)
    if contribution.state == "draft":
        _submit_if_asked(contribution)
    else:
        flash(_("Your changes are saved."), "success")


_AUTHOR_ACTIONS = {
    "submit": (services.submit, lambda c: _("Submitted as %(reference)s.", reference=c.reference)),
    "withdraw": (services.withdraw, lambda c: _("%(reference)s is withdrawn.", reference=c.reference)),
    "request_late": (
        services.request_late_acceptance,
        lambda c: _("The secretariat has been asked to accept your contribution late."),
    ),
}
_AUTHOR_ENDPOINTS = (
    ("submit", "submit_contribution", "submit"),
    ("withdraw", "withdraw_contribution", "withdraw"),
    ("request-late", "request_late", "request_late"),
)


@login_required
def author_action(slug, contribution_id, action):
    """The author's buttons: submit a draft (refused after the deadline; the draft is kept), withdraw
    before a decision, or after the deadline ask an administrator to accept the draft late."""
    consultation = load_consultation(slug)
    contribution = load_contribution(consultation, contribution_id)
    require(contribution.is_author(current_user))
    service, done_message = _AUTHOR_ACTIONS[action]
    form = NoteForm()
    return write(
        form,
        lambda: service(contribution, current_user, note=form.note.data or ""),
        render=lambda: render_contribution(consultation, contribution, 400, note_form=form),
        success=_contribution_url(contribution),
        message=lambda _result: done_message(contribution),
    )


for _path, _endpoint, _action in _AUTHOR_ENDPOINTS:
    bp.add_url_rule(
        f"/consultations/<slug>/contributions/<int:contribution_id>/{_path}",
        _endpoint,
        author_action,
        methods=["POST"],
        defaults={"action": _action},
    )
