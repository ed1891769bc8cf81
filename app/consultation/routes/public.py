"""Public pages: the list of consultations, a consultation's timeline and statistics, its contributions."""

from flask import render_template, request
from flask_login import current_user

from app.consultation.models import (
    Consultation,
    Contribution,
    ContributionState,
    ContributionType,
    visible_contributions_clause,
)
from app.consultation.overview import actions_now, meetings_of
from app.consultation.routes import bp, load_consultation, load_contribution
from app.consultation.stats import statistics
from app.core.time import utcnow
from app.extensions import db
from app.files import services as files
from app.supports import services as supports


@bp.route("/consultations")
def index():
    """Every consultation, newest first, with its current phase."""
    consultations = (
        db.session.execute(db.select(Consultation).order_by(Consultation.created_at.desc())).scalars().all()
    )
    return render_template(
        "consultation/index.html",
        consultations=consultations,
        now=utcnow(),
        can_create=Consultation.can_create(current_user),
    )


@bp.route("/consultations/<slug>")
def show(slug):
    """The timeline (past / current / upcoming), countdown, what can be done now, meetings, statistics."""
    consultation = load_consultation(slug)
    now = utcnow()
    return render_template(
        "consultation/show.html",
        consultation=consultation,
        now=now,
        timeline=consultation.timeline(now),
        next_deadline=consultation.next_deadline(now),
        actions=actions_now(consultation, current_user, now),
        meetings=meetings_of(consultation),
        charts=statistics(consultation),
    )


def _filters():
    kind = request.args.get("type")
    state = request.args.get("state")
    return (
        kind if kind in set(ContributionType) else None,
        state if state in set(ContributionState) else None,
    )


@bp.route("/consultations/<slug>/contributions")
def contributions(slug):
    """The contributions the viewer may see (drafts only their own), filtered by type and state."""
    consultation = load_consultation(slug)
    kind, state = _filters()
    query = db.select(Contribution).where(
        Contribution.consultation_id == consultation.id,
        Contribution.state != ContributionState.DRAFT,
        visible_contributions_clause(current_user, consultation),
    )
    if kind:
        query = query.where(Contribution.type == kind)
    if state:
        query = query.where(Contribution.state == state)
    most_supported = request.args.get("sort") == "supported"
    order = (
        (supports.count_column("contribution", Contribution.id).desc(), Contribution.submitted_at.desc())
        if most_supported
        else (Contribution.submitted_at.desc(),)
    )
    items = db.session.execute(query.order_by(*order)).scalars().all()
    support_counts = supports.tallies("contribution", [item.id for item in items if item.kind.is_public])
    drafts = []
    if current_user.is_authenticated:
        drafts = (
            db.session.execute(
                db.select(Contribution)
                .filter_by(
                    consultation_id=consultation.id, author_id=current_user.id, state=ContributionState.DRAFT
                )
                .order_by(Contribution.updated_at.desc())
            )
            .scalars()
            .all()
        )
    return render_template(
        "consultation/contributions.html", consultation=consultation, items=items, drafts=drafts,
        kind=kind, state=state, types=list(ContributionType), states=list(ContributionState),
        most_supported=most_supported, support_counts=support_counts,
    )  # fmt: skip


@bp.route("/consultations/<slug>/contributions/<int:contribution_id>")
def show_contribution(slug, contribution_id):
    """One contribution: fields, state, history, official response; reviews for the secretariat."""
    consultation = load_consultation(slug)
    contribution = load_contribution(consultation, contribution_id)
    return render_contribution(consultation, contribution)


def render_contribution(consultation, contribution, status=200, **forms):
    from app.consultation.forms import AssignForm, DecisionForm, LateAcceptanceForm, NoteForm, review_form

    assign_form = forms.get("assign_form") or AssignForm(formdata=None)
    assign_form.reviewer.choices = [(u.id, u.username) for u in reviewers_of(consultation)]
    review = contribution.review_by(current_user)
    return render_template(
        "consultation/contribution.html",
        consultation=consultation,
        contribution=contribution,
        attached_files=files.attachments_of("contribution", [contribution.id]).get(contribution.id, []),
        removed_files=files.removed_from("contribution", contribution.id),
        now=utcnow(),
        note_form=forms.get("note_form") or NoteForm(formdata=None),
        late_form=forms.get("late_form") or LateAcceptanceForm(formdata=None),
        decision_form=forms.get("decision_form") or DecisionForm(formdata=None),
        assign_form=assign_form,
        review_form=forms.get("review_form")
        or (review_form(contribution, formdata=None, obj=None) if review else None),
        my_review=review,
        supports=_supports_of(contribution),
    ), status


def _supports_of(contribution) -> dict | None:
    """A public contribution's supports for its page: the tally and whether the reader supports it."""
    if not (contribution.kind.is_public and contribution.is_public):
        return None
    return {
        "tally": supports.tallies("contribution", [contribution.id])[contribution.id],
        "mine": contribution.id in supports.supported_by("contribution", [contribution.id], current_user),
    }


def reviewers_of(consultation):
    from app.auth.models import User
    from app.consultation.models import ConsultationRole, Role

    return (
        db.session.execute(
            db.select(User)
            .join(ConsultationRole, ConsultationRole.user_id == User.id)
            .where(
                ConsultationRole.consultation_id == consultation.id, ConsultationRole.role == Role.REVIEWER
            )
            .order_by(User.username)
        )
        .scalars()
        .all()
    )
