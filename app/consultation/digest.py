"""What consultation puts in a member's digest: consultations taking formal contributions whose
deadline falls in the coming week."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.consultation.models import Consultation, Phase, PhaseKind
from app.extensions import db
from app.notifications import digests, kinds

AHEAD = timedelta(days=7)


def deadlines_in_the_coming_week(user, since, until) -> list[Consultation]:
    """Open consultations whose submission deadline is within a week of `until` (one query)."""
    due = db.select(Phase.consultation_id).where(
        Phase.kind == PhaseKind.DEADLINE, Phase.starts_at > until, Phase.starts_at <= until + AHEAD
    )
    consultations = db.session.execute(db.select(Consultation).where(Consultation.id.in_(due))).scalars()
    open_ones = [
        c for c in consultations if c.accepts_submissions(until) and c.submission_deadline <= until + AHEAD
    ]
    return sorted(open_ones, key=lambda consultation: consultation.submission_deadline)


def register() -> None:
    kinds.register_mail_group(
        "deadlines", _l("Consultation deadlines in the coming week"), "digest", 70, immediate=False
    )
    digests.register_section(
        "deadlines", deadlines_in_the_coming_week, "consultation/mail/digest_deadlines", 30
    )
