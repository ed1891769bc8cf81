"""Review: the secretariat assigns reviewers; reviewers score per-type criteria and recommend."""

import json
import logging

from flask_babel import lazy_gettext as _l

from app.consultation.models import Recommendation, ReviewAssignment
from app.consultation.services.errors import ConsultationError, InvalidInput
from app.core.audit import record
from app.core.time import utcnow
from app.extensions import db

logger = logging.getLogger(__name__)
COMMENT_MAX = 5000


def assign_reviewer(contribution, actor, reviewer, now=None) -> ReviewAssignment:
    """Ask a user with the reviewer role to review a contribution under review."""
    if not contribution.can_assign(actor):
        raise ConsultationError(_l("Reviewers can only be assigned to contributions under review."))
    if not contribution.consultation.is_reviewer(reviewer):
        raise ConsultationError(
            _l("%(user)s is not a reviewer of this consultation.", user=reviewer.username), field="reviewer"
        )
    if contribution.review_by(reviewer) is not None:
        raise ConsultationError(_l("%(user)s is already assigned.", user=reviewer.username), field="reviewer")
    assignment = ReviewAssignment(reviewer=reviewer, assigned_by_id=actor.id, assigned_at=now or utcnow())
    contribution.reviews.append(assignment)
    db.session.flush()
    record(actor, "review.assign", "contribution", contribution.id, after={"reviewer": reviewer.username})
    return assignment


def _clean_scores(contribution, scores: dict) -> dict:
    errors, cleaned = {}, {}
    for name in contribution.kind.criteria:
        try:
            value = int(scores.get(name))
        except (TypeError, ValueError):
            value = None
        if value is None or not 1 <= value <= 5:
            errors[f"score_{name}"] = _l("Score each criterion from 1 to 5.")
        cleaned[name] = value
    if errors:
        raise InvalidInput(errors)
    return cleaned


def submit_review(assignment, reviewer, scores: dict, comment: str, recommendation: str, now=None) -> None:
    """Record (or revise, until the decision) a reviewer's scores, private comment and recommendation."""
    contribution = assignment.contribution
    if assignment.reviewer_id != reviewer.id or not contribution.can_write_review(reviewer):
        raise ConsultationError(_l("You cannot review this contribution now."))
    cleaned = _clean_scores(contribution, scores)
    if recommendation not in set(Recommendation):
        raise InvalidInput({"recommendation": _l("Choose a recommendation.")})
    if len(comment or "") > COMMENT_MAX:
        raise InvalidInput({"comment": _l("The comment is too long.")})
    assignment.scores_json = json.dumps(cleaned, sort_keys=True)
    assignment.comment = (comment or "").strip()
    assignment.recommendation = recommendation
    assignment.submitted_at = now or utcnow()
    db.session.flush()
    record(
        reviewer,
        "review.submit",
        "contribution",
        contribution.id,
        after={"scores": cleaned, "recommendation": recommendation},
    )
    logger.info("Review of %s submitted by %s", contribution, reviewer)
