"""What the consultation puts at the top of the home page: each running consultation with its current
phase, the countdown to its next deadline and a "Contribute" link while submissions are open; for an
administrator of a site with no consultation, the way to open one."""

from app.communities import home
from app.consultation.models import Consultation
from app.core.time import utcnow
from app.extensions import db


def _running(viewer):
    consultations = db.session.execute(
        db.select(Consultation).order_by(Consultation.created_at.desc())
    ).scalars()
    now = utcnow()
    running = []
    for consultation in consultations:
        phase = consultation.current_phase(now)
        if phase is not None:
            running.append({
                "consultation": consultation, "phase": phase, "next_deadline": consultation.next_deadline(now),
                "open": consultation.accepts_submissions(now),
            })  # fmt: skip
    if running:
        return {"running": running, "can_create": False}
    if Consultation.can_create(viewer):
        return {"running": [], "can_create": True}
    return None


def register() -> None:
    home.register_section("running", "consultation/_home_running.html", _running, position=10)
