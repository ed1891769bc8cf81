"""Calendar files: a meeting's, a consultation's feed, and a member's own feed at a secret address."""

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.consultation import calendar
from app.consultation.routes import bp, load_consultation, load_meeting
from app.core.urls import safe_next
from app.extensions import db


def _ics(body: bytes, filename: str, download: bool) -> Response:
    disposition = "attachment" if download else "inline"
    return Response(
        body, mimetype="text/calendar",
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"', "Cache-Control": "private, max-age=300"},
    )  # fmt: skip


@bp.route("/consultations/<slug>/meetings/<int:meeting_id>.ics")
def meeting_ics(slug, meeting_id):
    """One meeting for a calendar program ("Add to calendar"); its remote link if the viewer may see it."""
    meeting = load_meeting(load_consultation(slug), meeting_id)
    return _ics(calendar.meeting_calendar(meeting, current_user), f"meeting-{meeting.id}.ics", download=True)


@bp.route("/consultations/<slug>/calendar.ics")
def consultation_ics(slug):
    """The consultation's phases, deadline and meetings, to subscribe to."""
    consultation = load_consultation(slug)
    return _ics(calendar.consultation_calendar(consultation, current_user), f"{slug}.ics", download=False)


@bp.route("/calendar/<key>.ics")
def member_ics(key):
    """The meetings a member registered for, at the address only they were given (no sign-in: a
    calendar program fetches it); an unknown or replaced address is 404."""
    owner = calendar.owner_of(key)
    if owner is None:
        abort(404)
    return _ics(calendar.member_calendar(owner), "my-meetings.ics", download=False)


@bp.route("/calendar/address", methods=["POST"])
@login_required
def new_calendar_address():
    """Make (or replace) the member's secret calendar address."""
    calendar.new_calendar_key(current_user)
    db.session.commit()
    flash(_("Your calendar address is ready. Any earlier address no longer works."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("consultation.index"))
