"""The consultation blueprint. Routes are split by audience, as Indico does:
public pages (`public`), writing contributions (`contribute`), meetings (`meetings`), the brief and
exports (`brief`), review (`review`) and administration (`manage`)."""

from flask import Blueprint, abort
from flask_login import current_user

from app.consultation.models import Consultation, Contribution, Meeting
from app.core.permissions import require
from app.extensions import db

bp = Blueprint("consultation", __name__)


def load_consultation(slug) -> Consultation:
    """The consultation at `slug`, or 404."""
    consultation = db.session.execute(db.select(Consultation).filter_by(slug=slug)).scalar_one_or_none()
    if consultation is None:
        abort(404)
    return consultation


def load_contribution(consultation, contribution_id) -> Contribution:
    """A contribution of this consultation that the user may see; 404 otherwise (existence not revealed)."""
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or contribution.consultation_id != consultation.id:
        abort(404)
    require(contribution.can_view(current_user), hide=True)
    return contribution


def load_meeting(consultation, meeting_id) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.consultation_id != consultation.id:
        abort(404)
    return meeting


def find_by_reference(consultation, reference):
    """The non-draft contribution with this reference in this consultation, or None."""
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    return db.session.execute(
        db.select(Contribution).filter_by(consultation_id=consultation.id, reference=reference)
    ).scalar_one_or_none()


from app.consultation.routes import brief, contribute, manage, meetings, public, review  # noqa: E402, F401
