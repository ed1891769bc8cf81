"""Calendars a calendar program reads (parsed back with `icalendar`, RFC 5545): a meeting's "Add to
calendar" file, the consultation's feed of phases, deadline and meetings, and a member's own feed at a
secret address they can replace. Geneva times stay right on both sides of the change to summer time,
and a remote link goes only to whoever may see it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from app.consultation.timezones import to_utc
from app.extensions import db
from tests.factories import GENEVA
from tests.support.clients import client_for, csrf_token_from

WINTER = datetime(2027, 3, 24, 10, 0)  # Geneva, the week before summer time
SUMMER = datetime(2027, 3, 31, 10, 0)  # the week after
LINK = "https://meet.example.org/wsis"


def _events(response) -> list:
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert calendar["version"] == "2.0" and calendar["prodid"]
    assert calendar.walk("VTIMEZONE") and calendar.walk("VTIMEZONE")[0]["tzid"] == GENEVA
    return calendar.walk("VEVENT")


def _meetings(make):
    consultation = make.consultation(
        deadline_local=datetime(2027, 4, 30, 23, 59), opens_local=datetime(2027, 1, 4)
    )
    winter = make.meeting(
        consultation,
        to_utc(WINTER, GENEVA),
        title="Winter session",
        remote_url=LINK,
        format="hybrid",
        place="ITU, Geneva",
    )
    summer = make.meeting(
        consultation,
        to_utc(SUMMER, GENEVA),
        title="Summer session",
        remote_url=LINK,
        format="hybrid",
        place="ITU, Geneva",
    )
    return consultation, winter, summer


def test_a_meetings_file_keeps_geneva_time_across_the_change_to_summer_time(app, make):
    consultation, winter, summer = _meetings(make)
    for meeting, utc_hour in ((winter, 9), (summer, 8)):
        (event,) = _events(
            client_for(app).get(f"/consultations/{consultation.slug}/meetings/{meeting.id}.ics")
        )
        start = event.decoded("dtstart")
        assert start.tzinfo is not None and str(event["dtstart"].params["TZID"]) == GENEVA
        assert (start.hour, start.astimezone(UTC).hour) == (10, utc_hour)
        assert event.decoded("dtend") - start == timedelta(hours=1)
        assert f"/consultations/{consultation.slug}/meetings/{meeting.id}" in str(event["url"])
        assert LINK not in str(event["description"]) + str(
            event["location"]
        )  # weeks ahead, for a visitor: no remote link


def test_the_consultation_feed_holds_its_phases_deadline_and_meetings(app, make):
    consultation, _winter, _summer = _meetings(make)
    page = client_for(app).get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert f"/consultations/{consultation.slug}/calendar.ics" in page
    events = _events(client_for(app).get(f"/consultations/{consultation.slug}/calendar.ics"))
    summaries = [str(event["summary"]) for event in events]
    assert summaries == [
        "WSIS Forum 2017 — Open Consultation: Opening", "WSIS Forum 2017 — Open Consultation: Deadline",
        "Winter session", "Summer session",
    ]  # fmt: skip
    opening, deadline = events[0], events[1]
    assert opening.decoded("dtstart") == datetime(2027, 1, 4).date()  # a whole day
    assert deadline.decoded("dtstart").replace(tzinfo=None) == datetime(2027, 4, 30, 23, 59)
    assert len({str(event["uid"]) for event in events}) == 4


def test_a_members_own_feed_lists_their_meetings_with_the_link_and_its_address_can_be_replaced(app, make):
    consultation, winter, summer = _meetings(make)
    member = make.user("amina")
    client = client_for(app, member)
    page = client.get(f"/consultations/{consultation.slug}/meetings/{winter.id}")
    client.post(
        f"/consultations/{consultation.slug}/meetings/{winter.id}/register",
        data={"mode": "remote", "csrf_token": csrf_token_from(page.get_data(as_text=True))},
    )
    meeting_page = client.get(f"/consultations/{consultation.slug}/meetings/{winter.id}").get_data(
        as_text=True
    )
    assert "Make my calendar address" in meeting_page
    assert (
        client.post("/calendar/address", data={"next": f"/consultations/{consultation.slug}"}).status_code
        == 302
    )
    with app.app_context():
        from app.consultation.models import CalendarKey

        key = db.session.get(CalendarKey, member.id).key
    feed = client_for(app).get(f"/calendar/{key}.ics")  # a calendar program: no cookies
    (event,) = _events(feed)
    assert str(event["summary"]) == "Winter session" and LINK in str(event["description"])
    client.post("/calendar/address")
    assert client_for(app).get(f"/calendar/{key}.ics").status_code == 404
    assert client_for(app).get("/calendar/not-a-key.ics").status_code == 404


def test_an_ended_meeting_no_longer_counts_places_left(app, make):
    consultation = make.consultation()
    past = make.meeting(consultation, datetime(2017, 2, 14, 8, 0), title="Held", capacity=30)
    page = (
        client_for(app).get(f"/consultations/{consultation.slug}/meetings/{past.id}").get_data(as_text=True)
    )
    assert "In-person places" not in page and "Add to calendar (.ics)" in page
    coming = make.meeting(
        consultation, datetime.now(ZoneInfo("UTC")).replace(tzinfo=None) + timedelta(days=3), capacity=30
    )
    page = (
        client_for(app).get(f"/consultations/{consultation.slug}/meetings/{coming.id}").get_data(as_text=True)
    )
    assert "30 of 30 left" in page
