"""Reminder mail: members with an unsubmitted draft hear of the deadline 7 days and 48 hours before
it; registrants of a meeting hear of it the day before, with a calendar file (.ics) attached.

Run by the same periodic pass as the digests (`flask mail digests`, or the embedded default's
thread). A reminder row is written in the transaction of its mail, so each goes once."""

import logging
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event

from app.auth.models import User
from app.consultation.models import Consultation, ContributionState, Phase, PhaseKind
from app.consultation.models.contribution import Contribution
from app.consultation.models.meeting import Meeting, MeetingRegistration
from app.consultation.models.reminder import Reminder
from app.core.time import utcnow
from app.extensions import db
from app.mail import send_to_user, site_url, unsubscribe_headers
from app.notifications import digests, kinds
from app.notifications.mail import preferences_of, unsubscribe_token
from app.notifications.models import IMMEDIATE

logger = logging.getLogger(__name__)

GROUP = "reminders"
DRAFT_STAGES = [("48h", timedelta(hours=48)), ("7d", timedelta(days=7))]  # the nearest first
MEETING_AHEAD = timedelta(hours=24)


def _wanted(user) -> bool:
    return user.email_confirmed and user.is_active and preferences_of(user.id).get(GROUP) == IMMEDIATE


def _sent(kind: str, subject_id: int, user_id: int, stage: str) -> bool:
    return db.session.get(Reminder, (kind, subject_id, user_id, stage)) is not None


def _mail(user, subject, template: str, **context) -> None:
    unsubscribe = site_url("notifications.unsubscribe", token=unsubscribe_token(user.id, GROUP))
    send_to_user(
        user, subject, template, category=GROUP, headers=unsubscribe_headers(unsubscribe),
        unsubscribe_link=unsubscribe, settings_link=site_url("notifications.mail_settings"), **context,
    )  # fmt: skip


# Drafts ---------------------------------------------------------------------------------------------


def draft_stage(deadline, now) -> str | None:
    """ "48h" within 48 hours of the deadline, "7d" within 7 days, else None (or past the deadline)."""
    if deadline is None or deadline <= now:
        return None
    return next((stage for stage, ahead in DRAFT_STAGES if deadline - now <= ahead), None)


def remind_drafts(now) -> int:
    """Every draft of a consultation still taking contributions, whose deadline is a week away or
    closer, reminds its author once per stage."""
    drafts = db.session.execute(
        db.select(Contribution)
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .join(Phase, Phase.consultation_id == Consultation.id)
        .where(
            Contribution.state == ContributionState.DRAFT, Phase.kind == PhaseKind.DEADLINE,
            Phase.starts_at > now, Phase.starts_at <= now + DRAFT_STAGES[-1][1],
        )
        .distinct()
    ).scalars().all()  # fmt: skip
    sent = 0
    for draft in drafts:
        consultation = draft.consultation
        stage = draft_stage(consultation.submission_deadline, now)
        if (
            stage is None
            or not consultation.accepts_submissions(now)
            or _sent("draft", draft.id, draft.author_id, stage)
        ):
            continue
        if _wanted(draft.author):
            _mail(
                draft.author, _l("Your draft is not submitted yet: %(title)s", title=draft.title),
                "consultation/mail/draft_reminder", draft=draft, consultation=consultation,
                link=site_url("consultation.edit_contribution", slug=consultation.slug, contribution_id=draft.id),
            )  # fmt: skip
            sent += 1
        db.session.add(
            Reminder(subject_kind="draft", subject_id=draft.id, user_id=draft.author_id, stage=stage)
        )
        db.session.commit()
    return sent


# Meetings -------------------------------------------------------------------------------------------


def calendar_file(meeting: Meeting) -> str:
    """The meeting as an iCalendar event (RFC 5545), times in UTC, with its page and joining link."""
    page = site_url("consultation.show_meeting", slug=meeting.consultation.slug, meeting_id=meeting.id)
    host = urlsplit(current_app.config["SITE_URL"]).hostname or "localhost"
    calendar = Calendar()
    calendar.add("prodid", "-//Majlis//Consultations//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@{host}")
    event.add("dtstamp", utcnow().replace(tzinfo=UTC))
    event.add("dtstart", meeting.starts_at.replace(tzinfo=UTC))
    event.add("dtend", meeting.ends_at.replace(tzinfo=UTC))
    event.add("summary", meeting.title)
    event.add("location", meeting.remote_url or meeting.place or "")
    event.add("url", page)
    event.add("description", "\n".join(filter(None, [meeting.place, meeting.remote_url, page])))
    calendar.add_component(event)
    return calendar.to_ical().decode()


def remind_meetings(now) -> int:
    """Registrants of a meeting starting within 24 hours hear of it once, with its calendar file."""
    rows = db.session.execute(
        db.select(MeetingRegistration, Meeting)
        .join(Meeting, Meeting.id == MeetingRegistration.meeting_id)
        .where(Meeting.starts_at > now, Meeting.starts_at <= now + MEETING_AHEAD)
    ).all()
    sent = 0
    for registration, meeting in rows:
        if _sent("meeting", meeting.id, registration.user_id, "24h"):
            continue
        user = db.session.get(User, registration.user_id)
        if _wanted(user):
            _mail(
                user, _l("Tomorrow: %(title)s", title=meeting.title), "consultation/mail/meeting_reminder",
                meeting=meeting, mode=registration.mode,
                link=site_url("consultation.show_meeting", slug=meeting.consultation.slug, meeting_id=meeting.id),
                attachments=[{"filename": "meeting.ics", "mimetype": "text/calendar", "content": calendar_file(meeting),
                              "params": {"method": "PUBLISH"}}],
            )  # fmt: skip
            sent += 1
        db.session.add(
            Reminder(subject_kind="meeting", subject_id=meeting.id, user_id=registration.user_id, stage="24h")
        )
        db.session.commit()
    return sent


def send_due_reminders(now=None) -> int:
    now = now or utcnow()
    return remind_drafts(now) + remind_meetings(now)


def register() -> None:
    kinds.register_mail_group(
        GROUP, _l("Reminders: my unsubmitted drafts, meetings I registered for"), "immediate", 80
    )
    digests.register_periodic(send_due_reminders)
