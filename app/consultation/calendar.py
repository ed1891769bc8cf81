"""Calendars (RFC 5545, written with `icalendar`): a meeting's `.ics`, a consultation's feed (its
phases, the contribution deadline, its meetings) and a member's own feed of the meetings they
registered for, at an address only they know. Times are written in the consultation's time zone
(Geneva's for the WSIS Forum) with its VTIMEZONE, so a calendar shows 10:00 on both sides of a change
to summer time; a meeting's remote link goes only to whoever may see it on the meeting's page."""

import secrets
from datetime import UTC, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar, Event

from app.consultation.models import CalendarKey, Meeting, MeetingRegistration
from app.core.text import plain_text
from app.core.time import utcnow
from app.extensions import db
from app.mail.outbox import site_url

PRODID = "-//Majlis//Consultations//EN"
PAST_MEETINGS_KEPT = timedelta(days=90)  # a member's feed keeps recent meetings, then lets them go


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _finished(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()  # a VTIMEZONE for each TZID used
    return calendar.to_ical()


def _host() -> str:
    return urlsplit(current_app.config["SITE_URL"]).hostname or "localhost"


def _local(moment, zone: str):
    """A naive UTC moment as an aware time in `zone` (written with its TZID)."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))


def meeting_event(meeting: Meeting, user) -> Event:
    consultation = meeting.consultation
    page = site_url("consultation.show_meeting", slug=consultation.slug, meeting_id=meeting.id)
    remote = meeting.remote_url if meeting.can_see_remote_link(user) else ""
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@{_host()}")
    event.add("dtstamp", utcnow().replace(tzinfo=UTC))
    event.add("dtstart", _local(meeting.starts_at, consultation.time_zone))
    event.add("dtend", _local(meeting.ends_at, consultation.time_zone))
    event.add("summary", meeting.title)
    event.add("location", meeting.place or remote or "")
    event.add("url", page)
    agenda = plain_text(meeting.agenda_source) if meeting.agenda_source else ""
    event.add("description", "\n\n".join(filter(None, [consultation.title, agenda, remote, page])))
    return event


def meeting_calendar(meeting: Meeting, user) -> bytes:
    """One meeting, as the "Add to calendar" link gives it."""
    calendar = _calendar(meeting.title)
    calendar.add_component(meeting_event(meeting, user))
    return _finished(calendar)


def _phase_event(phase) -> Event:
    zone = phase.consultation.time_zone
    event = Event()
    event.add("uid", f"phase-{phase.id}@{_host()}")
    event.add("dtstamp", utcnow().replace(tzinfo=UTC))
    if phase.all_day:
        start = _local(phase.starts_at, zone).date()
        event.add("dtstart", start)
        end = _local(phase.ends_at, zone).date() if phase.ends_at else start
        event.add("dtend", max(end, start + timedelta(days=1)))
    else:
        event.add("dtstart", _local(phase.starts_at, zone))
        if phase.ends_at:
            event.add("dtend", _local(phase.ends_at, zone))
    event.add("summary", f"{phase.consultation.title}: {phase.title}")
    if phase.location:
        event.add("location", phase.location)
    event.add("description", phase.description or str(phase.kind_label))
    event.add("url", site_url("consultation.show", slug=phase.consultation.slug))
    return event


def consultation_calendar(consultation, user) -> bytes:
    """The consultation's phases (the contribution deadline among them) and meetings, for a
    calendar to subscribe to: it is fetched again and follows every change."""
    calendar = _calendar(consultation.title)
    for phase in consultation.phases:
        calendar.add_component(_phase_event(phase))
    meetings = db.session.execute(
        db.select(Meeting).filter_by(consultation_id=consultation.id).order_by(Meeting.starts_at)
    ).scalars()
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, user))
    return _finished(calendar)


def member_calendar(user) -> bytes:
    """The meetings `user` registered for (recent and coming), with the remote link where they
    registered to attend remotely."""
    calendar = _calendar("Majlis")
    meetings = db.session.execute(
        db.select(Meeting)
        .join(MeetingRegistration, MeetingRegistration.meeting_id == Meeting.id)
        .where(MeetingRegistration.user_id == user.id, Meeting.ends_at >= utcnow() - PAST_MEETINGS_KEPT)
        .order_by(Meeting.starts_at)
    ).scalars()
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, user))
    return _finished(calendar)


def calendar_key_of(user) -> CalendarKey | None:
    return db.session.get(CalendarKey, user.id) if user.is_authenticated else None


def new_calendar_key(user) -> CalendarKey:
    """Give `user` a new secret calendar address; the old one, if any, stops working."""
    row = db.session.get(CalendarKey, user.id)
    if row is None:
        row = CalendarKey(user_id=user.id)
        db.session.add(row)
    row.key, row.created_at = secrets.token_urlsafe(32), utcnow()
    db.session.flush()
    return row


def owner_of(key: str):
    """The member whose calendar address holds `key`, or None."""
    row = db.session.execute(db.select(CalendarKey).filter_by(key=key)).scalar_one_or_none()
    return row.user if row is not None and row.user.is_active else None
