"""Formal contributions, their state history and their reviews.

The state machine (STYLE.md habit 4):

    draft --submit / accept_late--> submitted --screen--> under_review --accept--> accepted
                                        |                      |--merge--> merged (into another)
                                        |--decline-------------+--decline--> declined
                                        +--withdraw (author)---+--withdraw--> withdrawn

CheckConstraints tie the state to the columns each state needs; `TRANSITIONS` is the only list of
legal moves and `Contribution.can(action, user, now)` the only place that says who may make them.
"""

import enum
import json

from flask_babel import lazy_gettext as _l

from app.consultation.models.consultation import _values
from app.consultation.types import ContributionType, region_label, stakeholder_label
from app.core.time import utcnow
from app.extensions import db


class ContributionState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"

    @property
    def label(self):
        return STATE_LABELS[self]


STATE_LABELS = {
    ContributionState.DRAFT: _l("Draft"),
    ContributionState.SUBMITTED: _l("Submitted"),
    ContributionState.UNDER_REVIEW: _l("Under review"),
    ContributionState.ACCEPTED: _l("Accepted"),
    ContributionState.DECLINED: _l("Declined"),
    ContributionState.MERGED: _l("Merged"),
    ContributionState.WITHDRAWN: _l("Withdrawn"),
}
S = ContributionState
DECIDED = frozenset({S.ACCEPTED, S.DECLINED, S.MERGED})
PENDING = frozenset({S.SUBMITTED, S.UNDER_REVIEW})
PUBLIC_TYPES = tuple(t.value for t in ContributionType if t.is_public)
PRIVATE_TYPES = tuple(t.value for t in ContributionType if not t.is_public)

TRANSITIONS = {
    "submit": (frozenset({S.DRAFT}), S.SUBMITTED),
    "accept_late": (frozenset({S.DRAFT}), S.SUBMITTED),
    "screen": (frozenset({S.SUBMITTED}), S.UNDER_REVIEW),
    "accept": (frozenset({S.UNDER_REVIEW}), S.ACCEPTED),
    "decline": (PENDING, S.DECLINED),
    "merge": (frozenset({S.UNDER_REVIEW}), S.MERGED),
    "withdraw": (PENDING, S.WITHDRAWN),
}
SECRETARIAT_ACTIONS = frozenset({"screen", "accept", "decline", "merge"})


class Recommendation(enum.StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    MERGE = "merge"

    @property
    def label(self):
        return {
            Recommendation.ACCEPT: _l("Accept"),
            Recommendation.DECLINE: _l("Decline"),
            Recommendation.MERGE: _l("Merge with another contribution"),
        }[self]


class ContributionActionLine(db.Model):
    __tablename__ = "contribution_action_lines"

    contribution_id = db.Column(
        db.Integer, db.ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True
    )
    community_id = db.Column(db.Integer, db.ForeignKey("communities.id"), primary_key=True)
    position = db.Column(db.Integer, nullable=False, default=0)

    community = db.relationship("Community", lazy="joined")


class Contribution(db.Model):
    __tablename__ = "contributions"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(
        db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    type = db.Column(db.String(16), nullable=False)
    state = db.Column(db.String(16), nullable=False, default=S.DRAFT, index=True)
    number = db.Column(db.Integer, nullable=True)
    reference = db.Column(db.String(40), nullable=True, unique=True)
    title = db.Column(db.String(200), nullable=False)
    summary = db.Column(db.Text, nullable=False)
    body_source = db.Column(db.Text, nullable=False, default="")
    body_html = db.Column(db.Text, nullable=False, default="")
    render_version = db.Column(db.Integer, nullable=False, default=1)
    language = db.Column(db.String(8), nullable=True)
    details_json = db.Column(db.Text, nullable=False, default="{}")
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    submitter_region = db.Column(db.String(32), nullable=False, default="")
    submitter_organisation = db.Column(db.String(120), nullable=True)
    submitter_stakeholder_type = db.Column(db.String(32), nullable=True)
    submitter_country = db.Column(db.String(80), nullable=True)
    thread_id = db.Column(db.Integer, db.ForeignKey("threads.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    submitted_at = db.Column(db.DateTime, nullable=True)
    is_late = db.Column(db.Boolean, nullable=False, default=False)
    late_requested_at = db.Column(db.DateTime, nullable=True)
    decided_at = db.Column(db.DateTime, nullable=True)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    response_source = db.Column(db.Text, nullable=True)
    response_html = db.Column(db.Text, nullable=True)
    merged_into_id = db.Column(db.Integer, db.ForeignKey("contributions.id"), nullable=True)
    withdrawn_at = db.Column(db.DateTime, nullable=True)

    consultation = db.relationship("Consultation", lazy="joined", innerjoin=True)
    author = db.relationship("User", foreign_keys=[author_id], lazy="joined", innerjoin=True)
    thread = db.relationship("Thread")
    merged_into = db.relationship("Contribution", remote_side=[id])
    action_lines = db.relationship(
        "ContributionActionLine",
        order_by="ContributionActionLine.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    history = db.relationship(
        "ContributionTransition", order_by="ContributionTransition.id", cascade="all, delete-orphan"
    )
    reviews = db.relationship(
        "ReviewAssignment", order_by="ReviewAssignment.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        db.CheckConstraint(f"type in ({_values(ContributionType)})", name="type"),
        db.CheckConstraint(f"state in ({_values(ContributionState)})", name="state"),
        db.CheckConstraint(
            "(state = 'draft' and submitted_at is null and reference is null) or "
            "(state != 'draft' and submitted_at is not null and reference is not null "
            "and submitter_stakeholder_type is not null)",
            name="submitted_fields",
        ),
        db.CheckConstraint(
            "(state in ('accepted', 'declined', 'merged')) = (decided_at is not null and response_source is not null)",
            name="decided_fields",
        ),
        db.CheckConstraint("(state = 'merged') = (merged_into_id is not null)", name="merged_into"),
        db.CheckConstraint("merged_into_id is null or merged_into_id != id", name="not_merged_into_self"),
        db.CheckConstraint("(state = 'withdrawn') = (withdrawn_at is not null)", name="withdrawn_at"),
        db.UniqueConstraint("consultation_id", "type", "number", name="uq_contributions_number"),
    )

    def __repr__(self):
        return f"<Contribution {self.id} {self.state}>"

    def __str__(self):
        return self.reference or f"draft {self.id}"

    # Descriptions ----------------------------------------------------------------------------
    @property
    def kind(self) -> ContributionType:
        return ContributionType(self.type)

    @property
    def status(self) -> ContributionState:
        return ContributionState(self.state)

    @property
    def details(self) -> dict:
        return json.loads(self.details_json or "{}")

    @property
    def community_ids(self) -> list[int]:
        return [line.community_id for line in self.action_lines]

    @property
    def communities(self):
        return [line.community for line in self.action_lines]

    @property
    def is_decided(self) -> bool:
        return self.state in DECIDED

    @property
    def stakeholder_type(self) -> str:
        """As at submission; the author's current type while still a draft."""
        return self.submitter_stakeholder_type or self.author.stakeholder_type

    @property
    def stakeholder_label(self):
        return stakeholder_label(self.stakeholder_type)

    @property
    def region_label(self):
        return region_label(self.submitter_region)

    @property
    def is_public(self) -> bool:
        """Visible to everyone: public types once submitted, the others once decided."""
        if self.state in (S.DRAFT, S.WITHDRAWN):
            return False
        return self.kind.is_public or self.is_decided

    # Permissions -----------------------------------------------------------------------------
    def is_author(self, user) -> bool:
        return user.is_authenticated and user.id == self.author_id

    def is_assigned_reviewer(self, user) -> bool:
        return user.is_authenticated and any(review.reviewer_id == user.id for review in self.reviews)

    def can_view(self, user) -> bool:
        if self.is_author(user):
            return True
        if self.state == S.DRAFT:
            return self.late_requested_at is not None and user.is_authenticated and user.is_admin
        if self.is_public:
            return True
        return self.consultation.is_secretariat(user) or self.is_assigned_reviewer(user)

    def can(self, action: str, user, now=None) -> bool:
        """May `user` make the transition `action` now? Checks the state, the role and the deadline."""
        sources, _target = TRANSITIONS[action]
        if self.state not in sources or not user.is_authenticated:
            return False
        if action in SECRETARIAT_ACTIONS:
            return self.consultation.is_secretariat(user)
        if action == "accept_late":
            return user.is_admin and self.consultation.submission_window(now) == "closed"
        if action == "submit":
            return self.is_author(user) and user.can_post() and self.consultation.accepts_submissions(now)
        return self.is_author(user)  # withdraw

    def can_edit(self, user, now=None) -> bool:
        """Authors edit drafts any time and submitted contributions until the deadline."""
        if not self.is_author(user) or not user.can_post():
            return False
        if self.state == S.DRAFT:
            return True
        return self.state == S.SUBMITTED and self.consultation.submission_window(now) != "closed"

    def can_support(self, user) -> bool:
        """Members who may post back a public contribution that is in the process, not their own."""
        return (
            user.is_authenticated and user.can_post() and not self.is_author(user) and self.kind.is_public
            and self.is_public and self.state not in (S.DECLINED, S.MERGED)
        )  # fmt: skip

    def can_request_late(self, user, now=None) -> bool:
        return (
            self.is_author(user)
            and self.state == S.DRAFT
            and self.late_requested_at is None
            and self.consultation.submission_window(now) == "closed"
        )

    def can_assign(self, user) -> bool:
        """Reviewers are assigned once the secretariat has screened the contribution in."""
        return self.state == S.UNDER_REVIEW and self.consultation.is_secretariat(user)

    def can_decide(self, user) -> bool:
        return any(self.can(action, user) for action in ("accept", "decline", "merge"))

    def can_see_reviews(self, user) -> bool:
        return self.consultation.is_secretariat(user)

    def can_see_response(self, user) -> bool:
        """The official response: author and secretariat always, everyone for public types."""
        if not self.is_decided:
            return False
        return self.kind.is_public or self.is_author(user) or self.consultation.is_secretariat(user)

    def can_see_note(self, step, user) -> bool:
        """History notes: decisions as the official response; screening and late-acceptance notes are
        internal; the author sees their own notes."""
        if self.consultation.is_secretariat(user):
            return True
        if step.action in ("accept", "decline", "merge"):
            return self.can_see_response(user)
        if step.action in ("screen", "accept_late"):
            return False
        return self.is_author(user)

    def review_by(self, user):
        if not user.is_authenticated:
            return None
        return next((review for review in self.reviews if review.reviewer_id == user.id), None)

    def can_write_review(self, user) -> bool:
        return self.state == S.UNDER_REVIEW and self.review_by(user) is not None

    def can_accept_late(self, user) -> bool:
        """Only administrators may let a draft in after the deadline (the service checks the state)."""
        return user.is_authenticated and user.is_admin


def visible_contributions_clause(user, consultation):
    """A SQL condition on Contribution: what `user` may see in `consultation`."""
    public = db.or_(
        db.and_(
            Contribution.type.in_(PUBLIC_TYPES), Contribution.state.in_([s.value for s in DECIDED | PENDING])
        ),
        db.and_(Contribution.type.in_(PRIVATE_TYPES), Contribution.state.in_([s.value for s in DECIDED])),
    )
    if not user.is_authenticated:
        return public
    own = Contribution.author_id == user.id
    if consultation.is_secretariat(user):
        late = db.and_(
            Contribution.late_requested_at.is_not(None), db.true() if user.is_admin else db.false()
        )
        return db.or_(own, Contribution.state != S.DRAFT, db.and_(Contribution.state == S.DRAFT, late))
    reviewing = Contribution.id.in_(
        db.select(ReviewAssignment.contribution_id).filter_by(reviewer_id=user.id)
    )
    return db.or_(public, own, db.and_(reviewing, Contribution.state != S.DRAFT))


class ContributionTransition(db.Model):
    """One step of a contribution's history: who moved it from which state to which, when, why."""

    __tablename__ = "contribution_transitions"

    id = db.Column(db.Integer, primary_key=True)
    contribution_id = db.Column(
        db.Integer, db.ForeignKey("contributions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    action = db.Column(db.String(16), nullable=False)
    from_state = db.Column(db.String(16), nullable=True)
    to_state = db.Column(db.String(16), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    note = db.Column(db.Text, nullable=False, default="")

    actor = db.relationship("User", lazy="joined")

    __table_args__ = (db.CheckConstraint(f"to_state in ({_values(ContributionState)})", name="to_state"),)

    def as_dict(self) -> dict:
        return {
            "action": self.action,
            "from": self.from_state,
            "to": self.to_state,
            "by": self.actor.username if self.actor else None,
            "at": self.created_at.isoformat(timespec="seconds") + "Z",
            "note": self.note,
        }


class ReviewAssignment(db.Model):
    """A reviewer asked to assess a contribution, and (once submitted) their scores and advice."""

    __tablename__ = "contribution_reviews"

    id = db.Column(db.Integer, primary_key=True)
    contribution_id = db.Column(
        db.Integer, db.ForeignKey("contributions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    reviewer_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    assigned_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    assigned_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    submitted_at = db.Column(db.DateTime, nullable=True)
    scores_json = db.Column(db.Text, nullable=True)
    comment = db.Column(db.Text, nullable=False, default="")
    recommendation = db.Column(db.String(16), nullable=True)

    reviewer = db.relationship("User", foreign_keys=[reviewer_id], lazy="joined")
    contribution = db.relationship("Contribution", back_populates="reviews")

    __table_args__ = (
        db.UniqueConstraint("contribution_id", "reviewer_id", name="uq_contribution_reviews_reviewer"),
        db.CheckConstraint(
            "(submitted_at is null) = (recommendation is null) and (submitted_at is null) = (scores_json is null)",
            name="submitted_review",
        ),
        db.CheckConstraint(
            f"recommendation is null or recommendation in ({_values(Recommendation)})", name="recommendation"
        ),
    )

    @property
    def scores(self) -> dict:
        return json.loads(self.scores_json) if self.scores_json else {}

    @property
    def average(self) -> float | None:
        values = list(self.scores.values())
        return round(sum(values) / len(values), 1) if values else None
