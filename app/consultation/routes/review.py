"""Review: the queue, screening, reviewer assignment, reviews, decisions and late acceptance."""

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import User
from app.consultation import services
from app.consultation.forms import (
    AssignForm,
    DecisionForm,
    LateAcceptanceForm,
    NoteForm,
    review_form,
)
from app.consultation.models import Contribution, ContributionState, ReviewAssignment
from app.consultation.routes import bp, find_by_reference, load_consultation, load_contribution
from app.consultation.routes.public import render_contribution, reviewers_of
from app.core.permissions import require
from app.core.refusals import write
from app.extensions import db

S = ContributionState


def _contribution_url(contribution):
    return url_for(
        "consultation.show_contribution", slug=contribution.consultation.slug, contribution_id=contribution.id
    )


def _queue(consultation, user):
    """What awaits whom: screening and decisions (secretariat), reviews (each reviewer), late requests."""

    def where(*conditions):
        return db.session.execute(
            db.select(Contribution).where(Contribution.consultation_id == consultation.id, *conditions)
            .order_by(Contribution.submitted_at)
        ).scalars().all()  # fmt: skip

    queue = {"mine": [], "to_screen": [], "in_review": [], "late": []}
    queue["mine"] = [
        a for a in db.session.execute(
            db.select(ReviewAssignment).join(Contribution)
            .where(Contribution.consultation_id == consultation.id, ReviewAssignment.reviewer_id == user.id,
                   Contribution.state == S.UNDER_REVIEW)
        ).scalars()
    ]  # fmt: skip
    if consultation.is_secretariat(user):
        queue["to_screen"] = where(Contribution.state == S.SUBMITTED)
        queue["in_review"] = where(Contribution.state == S.UNDER_REVIEW)
        if user.is_admin:
            queue["late"] = where(Contribution.state == S.DRAFT, Contribution.late_requested_at.is_not(None))
    return queue


@bp.route("/consultations/<slug>/review")
@login_required
def review_queue(slug):
    """The review queue: what awaits the secretariat, each reviewer, and administrators."""
    consultation = load_consultation(slug)
    require(consultation.can_review(current_user))
    return render_template(
        "consultation/review_queue.html", consultation=consultation, queue=_queue(consultation, current_user)
    )


def _secretariat_contribution(slug, contribution_id):
    consultation = load_consultation(slug)
    contribution = load_contribution(consultation, contribution_id)
    require(consultation.can_manage(current_user))
    return consultation, contribution


def _review_write(consultation, contribution, form, form_name, action, message):
    """A review action taken on the contribution's page, which shows it again with 400 on a refusal."""
    return write(
        form,
        action,
        render=lambda: render_contribution(consultation, contribution, 400, **{form_name: form}),
        success=_contribution_url(contribution),
        message=message,
    )


@bp.route("/consultations/<slug>/contributions/<int:contribution_id>/screen", methods=["POST"])
@login_required
def screen(slug, contribution_id):
    """Take a submitted contribution in for review."""
    consultation, contribution = _secretariat_contribution(slug, contribution_id)
    form = NoteForm()
    return _review_write(
        consultation, contribution, form, "note_form",
        lambda: services.screen(contribution, current_user, note=form.note.data or ""),
        lambda _result: _("%(reference)s is under review.", reference=contribution.reference),
    )  # fmt: skip


@bp.route("/consultations/<slug>/contributions/<int:contribution_id>/assign", methods=["POST"])
@login_required
def assign(slug, contribution_id):
    """Assign a reviewer."""
    consultation, contribution = _secretariat_contribution(slug, contribution_id)
    form = AssignForm()
    form.reviewer.choices = [(u.id, u.username) for u in reviewers_of(consultation)]
    return write(
        None,
        lambda: _assign(contribution, form),
        render=lambda: render_contribution(consultation, contribution, 400, assign_form=form),
        success=_contribution_url(contribution),
        message=lambda reviewer: _("%(user)s will review it.", user=reviewer.username),
    )


def _assign(contribution, form) -> User:
    valid = form.validate_on_submit()
    reviewer = db.session.get(User, form.reviewer.data) if valid and form.reviewer.data else None
    if reviewer is None:
        raise services.ConsultationError(_("Choose a reviewer."))
    services.assign_reviewer(contribution, current_user, reviewer)
    return reviewer


def _decide(contribution, form, consultation):
    decision, response = form.decision.data, form.response.data
    if decision == "accept":
        services.accept(contribution, current_user, response)
    elif decision == "decline":
        services.decline(contribution, current_user, response)
    elif decision == "merge":
        services.merge(
            contribution, current_user, find_by_reference(consultation, form.merge_into.data), response
        )
    else:
        raise services.InvalidInput({"decision": _("Choose a decision.")})


@bp.route("/consultations/<slug>/contributions/<int:contribution_id>/decide", methods=["POST"])
@login_required
def decide(slug, contribution_id):
    """Accept, decline or merge, with the official response."""
    consultation, contribution = _secretariat_contribution(slug, contribution_id)
    form = DecisionForm()
    return _review_write(
        consultation, contribution, form, "decision_form", lambda: _decide(contribution, form, consultation),
        lambda _result: _("Decision recorded: %(state)s.", state=contribution.status.label),
    )  # fmt: skip


@bp.route("/consultations/<slug>/contributions/<int:contribution_id>/accept-late", methods=["POST"])
@login_required
def accept_late(slug, contribution_id):
    """Administrators only: accept a draft after the deadline, with a reason (logged)."""
    consultation = load_consultation(slug)
    contribution = load_contribution(consultation, contribution_id)
    require(current_user.is_admin)
    form = LateAcceptanceForm()
    return _review_write(
        consultation, contribution, form, "late_form",
        lambda: services.accept_late(contribution, current_user, form.reason.data),
        lambda _result: _("Accepted late as %(reference)s.", reference=contribution.reference),
    )  # fmt: skip


@bp.route("/consultations/<slug>/contributions/<int:contribution_id>/review", methods=["POST"])
@login_required
def write_review(slug, contribution_id):
    """A reviewer's scores, private comment and recommendation."""
    consultation = load_consultation(slug)
    contribution = load_contribution(consultation, contribution_id)
    assignment = contribution.review_by(current_user)
    require(assignment is not None and contribution.can_write_review(current_user))
    form = review_form(contribution)
    scores = {name: getattr(form, f"score_{name}").data for name in contribution.kind.criteria}
    return _review_write(
        consultation, contribution, form, "review_form",
        lambda: services.submit_review(assignment, current_user, scores, form.comment.data, form.recommendation.data),
        _("Your review is saved."),
    )  # fmt: skip
