"""Reminder mail: an unsubmitted draft before the deadline (7 days, then 48 hours), a meeting the day
before with its calendar file; each once, none for who turned reminders off."""

from datetime import timedelta

from icalendar import Calendar

from app.consultation import reminders
from app.consultation import services as consultations
from app.consultation.models import Meeting
from app.consultation.timezones import to_local
from app.core.time import utcnow
from app.extensions import db
from tests.factories import GENEVA
from tests.support.clients import client_for
from tests.support.mail import outbox, text_of, to


def _run(app, now):
    with app.app_context(), app.test_request_context("/"):
        return reminders.send_due_reminders(now)


def _open_consultation(make, deadline_in=timedelta(days=6)):
    deadline = to_local(utcnow() + deadline_in, GENEVA).replace(tzinfo=None, second=0, microsecond=0)
    return make.consultation(deadline_local=deadline, opens_local=deadline - timedelta(days=60))


def test_an_unsubmitted_draft_is_reminded_a_week_and_two_days_before_the_deadline(app, make):
    consultation = _open_consultation(make)
    author = make.user("amina")
    make.contribution(
        consultation, author=author, state="draft", now=utcnow(), title="Digital skills for teachers"
    )
    make.contribution(consultation, author=make.user("samir"), state="submitted", now=utcnow())
    now = utcnow()
    assert _run(app, now) == 1
    (first,) = to(outbox(app), "amina@example.org")
    assert "Digital skills for teachers" in first["Subject"] and first["List-Unsubscribe"]
    assert "/contributions/" in text_of(first) and "/edit" in text_of(first)
    assert _run(app, now + timedelta(hours=1)) == 0  # the 7-day reminder went already
    assert _run(app, now + timedelta(days=5)) == 1  # within 48 hours: the last call
    assert _run(app, now + timedelta(days=5, hours=1)) == 0
    assert len(to(outbox(app), "amina@example.org")) == 2
    assert to(outbox(app), "samir@example.org") == []  # submitted: nothing to remind


def test_a_meeting_registrant_is_reminded_the_day_before_with_a_calendar_file(app, make):
    consultation = _open_consultation(make)
    starts = (utcnow() + timedelta(hours=20)).replace(second=0, microsecond=0)
    meeting = make.meeting(
        consultation, starts, title="Regional review, Arab States", remote_url="https://meet.example.org/arab"
    )
    member = make.user("amina")
    with app.app_context():
        consultations.register(db.session.get(Meeting, meeting.id), db.session.merge(member), "remote")
        db.session.commit()
    assert _run(app, utcnow()) == 1
    (mail,) = to(outbox(app), "amina@example.org")
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename() == "meeting.ics"
    assert attachment.get_param("method") == "PUBLISH"
    event = next(iter(Calendar.from_ical(attachment.get_content()).walk("VEVENT")))
    assert str(event["summary"]) == "Regional review, Arab States"
    assert event.decoded("dtstart").replace(tzinfo=None) == starts
    assert "https://meet.example.org/arab" in text_of(mail)
    assert _run(app, utcnow()) == 0  # once


def test_reminders_turned_off_send_nothing(app, make):
    consultation = _open_consultation(make)
    author = make.user("amina")
    make.contribution(consultation, author=author, state="draft", now=utcnow())
    form = {"reply": "immediate", "mention": "immediate", "followed_thread": "digest", "followed_community": "digest",
            "contributions": "immediate", "moderation": "immediate", "deadlines": "digest", "reminders": "off",
            "digest_frequency": "daily"}  # fmt: skip
    assert client_for(app, author).post("/settings/mail", data=form).status_code == 302
    assert _run(app, utcnow()) == 0 and to(outbox(app), "amina@example.org") == []
