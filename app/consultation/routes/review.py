"""Review: the queue, screening, reviewer assignment, reviews, decisions and late acceptance."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
from app.consultation.models import Consultation, Contribution, ContributionState, ReviewAssignment
from app.consultation.routes import bp, find_by_reference, guarded_page, load_consultation, load_contribution
from app.consultation.routes.public import render_contribution, reviewers_of
from app.core.actions import FormActions
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


guarded_page(
    "review_queue", "/consultations/<slug>/review",
    doc="The review queue: what awaits the secretariat, each reviewer, and administrators.",
    allowed=Consultation.can_review, template="consultation/review_queue.html", queue=_queue,
)  # fmt: skip


def _assign(contribution, form) -> User:
    reviewer = db.session.get(User, form.reviewer.data) if form.reviewer.data else None
    if reviewer is None:
        raise services.ConsultationError(_("Choose a reviewer."))
    services.assign_reviewer(contribution, current_user, reviewer)
    return reviewer


def _screen(contribution, form) -> Contribution:
    services.screen(contribution, current_user, note=form.note.data or "")
    return contribution


def _accept_late(contribution, form) -> Contribution:
    services.accept_late(contribution, current_user, form.reason.data)
    return contribution


def _decide(contribution, form) -> Contribution:
    consultation = contribution.consultation
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
    return contribution


def _assign_form(contribution) -> AssignForm:
    form = AssignForm()
    form.reviewer.choices = [(u.id, u.username) for u in reviewers_of(contribution.consultation)]
    return form


def _write_review(contribution, form):
    scores = {name: getattr(form, f"score_{name}").data for name in contribution.kind.criteria}
    assignment = contribution.review_by(current_user)
    services.submit_review(assignment, current_user, scores, form.comment.data, form.recommendation.data)


def _manages(contribution) -> bool:
    return contribution.consultation.can_manage(current_user)


review_actions = FormActions(
    bp, "/consultations/<slug>/contributions/<int:contribution_id>",
    load=lambda slug, contribution_id: load_contribution(load_consultation(slug), contribution_id),
    page=lambda contribution, **forms: render_contribution(contribution.consultation, contribution, **forms),
    success=_contribution_url, decorators=(login_required,),
)  # fmt: skip
review_actions.add(
    "screen", "/screen", doc="Take a submitted contribution in for review.", allow=_manages,
    form=lambda contribution: NoteForm(), slot="note_form",
    run=_screen, message=lambda contribution: _("%(reference)s is under review.", reference=contribution.reference),
)  # fmt: skip
review_actions.add(
    "assign", "/assign", doc="Assign a reviewer.", allow=_manages,
    form=_assign_form, slot="assign_form", run=_assign,
    message=lambda reviewer: _("%(user)s will review it.", user=reviewer.username),
)  # fmt: skip
review_actions.add(
    "decide", "/decide", doc="Accept, decline or merge, with the official response.", allow=_manages,
    form=lambda contribution: DecisionForm(), slot="decision_form", run=_decide,
    message=lambda contribution: _("Decision recorded: %(state)s.", state=contribution.status.label),
)  # fmt: skip
review_actions.add(
    "accept_late", "/accept-late",
    doc="Administrators only: accept a draft after the deadline, with a reason (logged).",
    allow=lambda contribution: contribution.can_accept_late(current_user),
    form=lambda contribution: LateAcceptanceForm(), slot="late_form",
    run=_accept_late,
    message=lambda contribution: _("Accepted late as %(reference)s.", reference=contribution.reference),
)  # fmt: skip
review_actions.add(
    "write_review", "/review", doc="A reviewer's scores, private comment and recommendation.",
    allow=lambda contribution: contribution.can_write_review(current_user),
    form=review_form, slot="review_form", run=_write_review, message=_l("Your review is saved."),
)  # fmt: skip
