"""How the consultation's actions appear in the audit log: whose they are to read.

The secretariat's internal notes (screening, late acceptance, reviews, an author's notes, the whole
record of the private kinds — workshop requests and nominations) belong to the audience
"consultation": its secretariat and administrators. The moderators of the action line a contribution
sits in still see its public steps: submission, and the official response to a public kind.
"""

from app.consultation.models import ConsultationRole, Contribution, Role
from app.core import audit
from app.extensions import db

AUDIENCE = "consultation"
# Steps whose note, if any, is public for a public kind (the official response) or carries none.
_OPEN_STEPS = {"contribution.accept", "contribution.decline", "contribution.merge", "contribution.edit"}
_AUTHOR_NOTE_STEPS = {"contribution.submit", "contribution.withdraw"}


def secretariat_consultation_ids(user):
    """The consultations whose secretariat `user` is in."""
    return db.select(ConsultationRole.consultation_id).where(
        ConsultationRole.user_id == user.id, ConsultationRole.role == Role.SECRETARIAT
    )


def is_internal(action: str, reason: str, contribution) -> bool:
    """Is this step of `contribution` for the secretariat only?"""
    if not contribution.kind.is_public:
        return True
    if action in _AUTHOR_NOTE_STEPS:
        return bool((reason or "").strip())
    return action not in _OPEN_STEPS


def classify(entry):
    """("consultation", id) for a contribution entry that carries internal notes."""
    if entry.target_type != "contribution" or entry.target_id is None:
        return None
    contribution = db.session.get(Contribution, entry.target_id)
    if contribution is None or not is_internal(entry.action, entry.reason, contribution):
        return None
    return AUDIENCE, contribution.consultation_id


def register() -> None:
    audit.register_audience(AUDIENCE, secretariat_consultation_ids)
    audit.register_classifier(("contribution.", "review."), classify)
