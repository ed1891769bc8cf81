"""Review: the queue, screening, reviewer assignment, reviews, decisions and late acceptance."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import User
from app.consultation import services
from app.consultation.forms import (
    AssignForm,
    DecisionForm,
    LateAcceptanceForm,
    NoteForm,
    put_errors,
    review_form,
)
from app.consultation.models import Contribution, ContributionState, ReviewAssignment
from app.consultation.routes import bp, find_by_reference, load_consultation, load_contribution
from app.consultation.routes.public import render_contribution, reviewers_of
from app.core.permissions import require
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


def _finish(contribution, message):
    """Commit and redirect, or (when the service refused) roll back and show the page with 400."""
    db.session.commit()
    flash(message, "success")
    return redirect(_contribution_url(contribution))


def _refused(consultation, contribution, form, refusal, form_name):
    db.session.rollback()
    if isinstance(refusal, services.InvalidInput):
        put_errors(form, refusal.errors)
    else:
        flash(str(refusal), "error")
    return render_contribution(consultation, contribution, 400, **{form_name: form})


@bp.route("/consultations/<slug>/contributions/<int:contribution_id>/screen", methods=["POST"])
@login_required
def screen(slug, contribution_id):
    """Take a submitted contribution in for review."""
    consultation, contribution = _secretariat_contribution(slug, contribution_id)
    form = NoteForm()
    try:
        services.screen(contribution, current_user, note=form.note.data or "")
    except services.ConsultationError as refusal:
        return _refused(consultation, contribution, form, refusal, "note_form")
    return _finish(contribution, _("%(reference)s is under review.", reference=contribution.reference))


@bp.route("/consultations/<slug>/contributions/<int:contribution_id>/assign", methods=["POST"])
@login_required
def assign(slug, contribution_id):
    """Assign a reviewer."""
    consultation, contribution = _secretariat_contribution(slug, contribution_id)
    form = AssignForm()
    form.reviewer.choices = [(u.id, u.username) for u in reviewers_of(consultation)]
    reviewer = (
        db.session.get(User, form.reviewer.data) if form.validate_on_submit() and form.reviewer.data else None
    )
    try:
        if reviewer is None:
            raise services.ConsultationError(_("Choose a reviewer."))
        services.assign_reviewer(contribution, current_user, reviewer)
    except services.ConsultationError as refusal:
        return _refused(consultation, contribution, form, refusal, "assign_form")
    return _finish(contribution, _("%(user)s will review it.", user=reviewer.username))


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
    try:
        if not form.validate_on_submit():
            raise services.InvalidInput({})
        _decide(contribution, form, consultation)
    except services.ConsultationError as refusal:
        if refusal.field and refusal.field in form:
            refusal = services.InvalidInput({refusal.field: refusal.message})
        return _refused(consultation, contribution, form, refusal, "decision_form")
    return _finish(contribution, _("Decision recorded: %(state)s.", state=contribution.status.label))


@bp.route("/consultations/<slug>/contributions/<int:contribution_id>/accept-late", methods=["POST"])
@login_required
def accept_late(slug, contribution_id):
    """Administrators only: accept a draft after the deadline, with a reason (logged)."""
    consultation = load_consultation(slug)
    contribution = load_contribution(consultation, contribution_id)
    require(current_user.is_admin)
    form = LateAcceptanceForm()
    try:
        if not form.validate_on_submit():
            raise services.InvalidInput({})
        services.accept_late(contribution, current_user, form.reason.data)
    except services.ConsultationError as refusal:
        return _refused(consultation, contribution, form, refusal, "late_form")
    return _finish(contribution, _("Accepted late as %(reference)s.", reference=contribution.reference))


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
    try:
        if not form.validate_on_submit():
            raise services.InvalidInput({})
        services.submit_review(assignment, current_user, scores, form.comment.data, form.recommendation.data)
    except services.ConsultationError as refusal:
        return _refused(consultation, contribution, form, refusal, "review_form")
    return _finish(contribution, _("Your review is saved."))
