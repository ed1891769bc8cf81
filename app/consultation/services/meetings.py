"""Meetings: planning by the secretariat, registration by participants, minutes afterwards."""

import logging

from flask_babel import lazy_gettext as _l

from app.consultation.models import AttendanceMode, Meeting, MeetingFormat, MeetingItem, MeetingRegistration
from app.consultation.services.errors import ConsultationError, InvalidInput, require_readable
from app.core.audit import record
from app.core.text import render_markdown
from app.core.time import utcnow
from app.extensions import db

logger = logging.getLogger(__name__)


def _meeting_dict(meeting) -> dict:
    return {
        "title": meeting.title,
        "format": meeting.format,
        "place": meeting.place,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "capacity": meeting.capacity,
        "phase_id": meeting.phase_id,
    }


def _check(values: dict) -> None:
    errors = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _l("Give the meeting a title.")
    if values.get("format") not in set(MeetingFormat):
        errors["format"] = _l("Choose physical, online or hybrid.")
    if values.get("starts_at") is None or values.get("ends_at") is None:
        errors["starts_at"] = _l("Give the start and the end.")
    elif values["ends_at"] <= values["starts_at"]:
        errors["ends_at"] = _l("The end must come after the start.")
    if values.get("format") != MeetingFormat.ONLINE and not (values.get("place") or "").strip():
        errors["place"] = _l("Say where the meeting takes place.")
    if values.get("capacity") is not None and values["capacity"] < 1:
        errors["capacity"] = _l("Capacity must be at least 1, or empty for no limit.")
    if errors:
        raise InvalidInput(errors)


def _apply(meeting, values: dict) -> None:
    meeting.title = values["title"].strip()
    meeting.format = values["format"]
    meeting.place = (values.get("place") or "").strip()
    meeting.starts_at, meeting.ends_at = values["starts_at"], values["ends_at"]
    meeting.remote_url = (values.get("remote_url") or "").strip()
    meeting.capacity = values.get("capacity")
    meeting.agenda_source = values.get("agenda") or ""
    meeting.agenda_html = render_markdown(meeting.agenda_source)
    meeting.phase_id = values.get("phase_id")


def create_meeting(consultation, actor, **values) -> Meeting:
    """Plan a meeting (title, format, place, starts_at, ends_at, remote_url, capacity, agenda, phase_id)."""
    _check(values)
    meeting = Meeting(consultation=consultation)
    _apply(meeting, values)
    db.session.add(meeting)
    db.session.flush()
    record(actor, "meeting.create", "meeting", meeting.id, after=_meeting_dict(meeting))
    return meeting


def update_meeting(meeting, actor, **values) -> None:
    """Change a meeting; the audit row keeps the old details."""
    _check(values)
    before = _meeting_dict(meeting)
    _apply(meeting, values)
    db.session.flush()
    record(actor, "meeting.update", "meeting", meeting.id, before=before, after=_meeting_dict(meeting))


def register(meeting, user, mode: str, now=None) -> MeetingRegistration:
    """Register to attend in person (while places are left) or remotely."""
    if mode not in set(AttendanceMode) or not meeting.can_register(user, AttendanceMode(mode), now):
        if mode == AttendanceMode.IN_PERSON and meeting.places_left == 0:
            raise ConsultationError(_l("The meeting room is full; you can still attend remotely if offered."))
        raise ConsultationError(_l("You cannot register for this meeting."))
    registration = MeetingRegistration(user_id=user.id, mode=mode, created_at=now or utcnow())
    meeting.registrations.append(registration)
    db.session.flush()
    logger.info("%s registered for meeting %s (%s)", user, meeting.id, mode)
    return registration


def unregister(meeting, user, now=None) -> None:
    """Cancel one's registration before the meeting starts."""
    if not meeting.can_unregister(user, now):
        raise ConsultationError(_l("You cannot cancel this registration."))
    meeting.registrations.remove(meeting.registration_of(user))
    db.session.flush()


def record_minutes(
    meeting, actor, minutes: str, attended_user_ids, other_attendees: int = 0, now=None
) -> None:
    """Publish (or correct) the minutes and who attended, once the meeting has started."""
    if not meeting.can_record_minutes(actor, now):
        raise ConsultationError(_l("Minutes can be recorded once the meeting has started."))
    if not (minutes or "").strip():
        raise InvalidInput({"minutes": _l("Write the minutes.")})
    if other_attendees is None or other_attendees < 0:
        raise InvalidInput({"other_attendees": _l("Give a number of 0 or more.")})
    attended = {int(i) for i in attended_user_ids or []}
    for registration in meeting.registrations:
        registration.attended = registration.user_id in attended
    meeting.minutes_source = minutes
    meeting.minutes_html = render_markdown(minutes)
    meeting.minutes_published_at = meeting.minutes_published_at or now or utcnow()
    meeting.other_attendees = other_attendees
    db.session.flush()
    record(actor, "meeting.minutes", "meeting", meeting.id, after={"attendance": meeting.attendance_count})


def link_item(meeting, actor, contribution=None, thread=None) -> MeetingItem:
    """Note that a contribution or a thread was discussed at the meeting."""
    require_readable(actor, contribution, thread)
    if (contribution is None) == (thread is None):
        raise ConsultationError(_l("Give a contribution reference or a thread number."), field="target")
    if contribution is not None and contribution.consultation_id != meeting.consultation_id:
        raise ConsultationError(_l("That contribution belongs to another consultation."), field="target")
    for item in meeting.items:
        if (contribution and item.contribution_id == contribution.id) or (
            thread and item.thread_id == thread.id
        ):
            raise ConsultationError(_l("It is already linked."), field="target")
    item = MeetingItem(contribution=contribution, thread=thread)
    meeting.items.append(item)
    db.session.flush()
    record(
        actor,
        "meeting.link",
        "meeting",
        meeting.id,
        after={
            "contribution": getattr(contribution, "reference", None),
            "thread": getattr(thread, "id", None),
        },
    )
    return item


def unlink_item(item, actor) -> None:
    """Remove a link from a meeting."""
    record(actor, "meeting.unlink", "meeting", item.meeting_id, before={"item": item.id})
    db.session.delete(item)
    db.session.flush()
