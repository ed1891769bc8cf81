"""Phases from dates at request time; the timeline page and the administrators' phase editing (logged)."""

from datetime import datetime, timedelta

import pytest
from flask_babel import get_translations

from app.consultation import services
from app.consultation.models import Phase
from app.consultation.seed import WSIS2017_SLUG, seed_demo
from app.core.audit import AuditEntry
from app.core.time import utcnow
from app.extensions import db
from tests.factories import setup_data
from tests.support.clients import client_for
from tests.support.pages import select, select_one, texts


@pytest.mark.parametrize(
    "now, current",
    [
        (datetime(2016, 8, 31, 12), None),
        (datetime(2016, 12, 1), "Opening of the open consultation process"),
        (datetime(2016, 10, 12, 15), "First physical meeting"),  # 17:00 in Geneva (CEST)
        (datetime(2016, 10, 12, 16, 1), "Opening of the open consultation process"),  # the meeting has ended
        (datetime(2017, 2, 14, 12), "Second physical meeting"),
        (datetime(2017, 2, 21), "Deadline for formal contributions and binding workshop requests"),
        (datetime(2017, 3, 14, 12), "Final review meeting of the open consultation process"),
        (datetime(2017, 5, 10, 12), "Final brief on the WSIS Forum 2017"),
        (datetime(2018, 1, 1), None),  # concluded
    ],
)
def test_current_phase_from_dates(ctx, now, current):
    from app.consultation.models import Consultation

    seed_demo()
    wsis = db.session.execute(db.select(Consultation).filter_by(slug=WSIS2017_SLUG)).scalar_one()
    phase = wsis.current_phase(now)
    assert (phase.title if phase else None) == current
    statuses = [view.status for view in wsis.timeline(now)]
    assert statuses.count("current") == (1 if current else 0)


def test_timeline_page(app, runner):
    runner.invoke(args=["seed-demo"])
    page = client_for(app).get("/consultations/wsis-forum-live").get_data(as_text=True)
    assert (
        select(page, "[aria-current=step]")
        and select(page, ".phase-current")
        and select(page, ".phase-upcoming")
    )
    assert "countdown" in page and "Deadline for formal contributions" in page
    assert "(Geneva time)" in page and select(page, ".viewer-time")
    assert "What you can do now" in page and "Submit formal contributions" in page
    assert "<svg" in page and "chart-table" in page
    old = client_for(app).get("/consultations/wsis-forum-2017").get_data(as_text=True)
    assert "The consultation has concluded." in old and "Oct 12, 2016, 4:30\u202fPM" in old


def test_admin_edits_a_phase_and_the_change_is_logged(app):
    with setup_data(app) as build:
        consultation = build.consultation(slug="wsis17")
        phase_id = consultation.phases[1].id
    admin = client_for(app, consultation.test_admin)
    url = f"/consultations/wsis17/phases/{phase_id}/edit"
    assert 'value="2017-02-20T23:59"' in admin.get(url).get_data(as_text=True)
    bad = admin.post(
        url,
        data={
            "title": "Deadline moved",
            "kind": "deadline",
            "starts_at": "2017-02-27T23:59",
            "ends_at": "2017-02-01T00:00",
        },
    )
    assert bad.status_code == 400 and 'value="Deadline moved"' in bad.get_data(as_text=True)
    assert (
        admin.post(url, data={"title": "Deadline", "kind": "deadline", "starts_at": "garbage"}).status_code
        == 400
    )
    response = admin.post(
        url,
        data={
            "title": "Deadline (extended)",
            "kind": "deadline",
            "starts_at": "2017-02-27T23:59",
            "reason": "Requests from regions",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        phase = db.session.get(Phase, phase_id)
        assert phase.starts_at == datetime(2017, 2, 27, 22, 59)
        entry = db.session.execute(db.select(AuditEntry).filter_by(action="phase.update")).scalar_one()
        assert entry.reason == "Requests from regions" and entry.actor_id == consultation.test_admin.id
        assert (
            entry.before["starts_at"].startswith("2017-02-20 22:59")
            and entry.after["title"] == "Deadline (extended)"
        )
    assert "Requests from regions" in admin.get("/consultations/wsis17/manage").get_data(as_text=True)


def test_admin_creates_a_consultation_and_gives_roles(app):
    with setup_data(app) as build:
        admin = build.admin("boss")
        build.user("helper")
    client = client_for(app, admin)
    bad = client.post(
        "/consultations/new",
        data={"title": "WSIS 2030", "slug": "Bad Slug", "time_zone": "Mars/Base", "reference_prefix": "w"},
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400 and 'value="WSIS 2030"' in page and "IANA" in page
    ok = client.post(
        "/consultations/new",
        data={
            "title": "WSIS 2030",
            "slug": "wsis-2030",
            "time_zone": "Europe/Geneva",
            "reference_prefix": "WSIS30",
        },
    )
    assert ok.status_code == 302
    assert (
        client.post(
            "/consultations/wsis-2030/roles", data={"username": "nobody", "role": "reviewer"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/consultations/wsis-2030/roles", data={"username": "helper", "role": "secretariat"}
        ).status_code
        == 302
    )
    with app.app_context():
        from app.consultation.models import Consultation

        created = db.session.execute(db.select(Consultation).filter_by(slug="wsis-2030")).scalar_one()
        assert (
            created.time_zone == "Europe/Zurich"
        )  # Europe/Geneva is not an IANA zone; Geneva keeps Zurich time
        actions = set(db.session.execute(db.select(AuditEntry.action)).scalars())
        assert {"consultation.create", "consultation.grant_role"} <= actions


# The timeline as a reader takes it in: one list in date order, "now" where now falls ------------------


def _entries(page) -> list[str]:
    """The timeline's entries top to bottom: each one's heading, or "NOW" for the element marked current."""
    return [
        "NOW"
        if entry.get("aria-current") == "step" and not entry.select_one("h3")
        else entry.select_one("h3").text
        for entry in select(page, "ol.timeline > li")
    ]


def _running(build, slug):
    """A consultation that opened a month ago; its deadline is three weeks away."""
    now = datetime.now()
    return build.consultation(
        slug=slug, opens_local=now - timedelta(days=30), deadline_local=now + timedelta(days=21)
    )


def _meeting_phase(consultation, title, starts_at):
    """A two-hour meeting phase."""
    return services.add_phase(
        consultation, consultation.test_admin, kind="meeting", title=title, starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )  # fmt: skip


def test_phases_and_meetings_are_one_list_in_date_order_with_now_where_it_falls(app):
    with setup_data(app) as build:
        running = _running(build, "running")
        held = _meeting_phase(running, "First physical meeting", utcnow() - timedelta(days=7))
        build.meeting(running, held.starts_at, title="First meeting of the consultation", phase_id=held.id)
        build.meeting(running, utcnow() - timedelta(days=3), title="Online check-in")
        build.meeting(running, utcnow() + timedelta(days=3), title="Second online check-in")
        _meeting_phase(_running(build, "during"), "Meeting under way", utcnow() - timedelta(hours=1))
    page = client_for(app).get("/consultations/running").get_data(as_text=True)
    # The opening is still the current phase, but it began before the meetings that have ended: the
    # "Now" mark comes after them, naming the current phase, not on the opening's entry above them.
    assert _entries(page) == [
        "Opening", "First physical meeting", "Online check-in", "NOW", "Second online check-in", "Deadline",
    ]  # fmt: skip
    now_mark = select_one(page, "ol.timeline > li[aria-current=step]")
    assert "Now" in now_mark.text and "Opening" in now_mark.text
    assert "Now" not in select_one(page, "ol.timeline > li.kind-opening").text
    assert "First meeting of the consultation" in select_one(page, f"#phase-{held.id}").text
    assert not select(page, ".meeting-list")  # no second list of the same meetings below
    # A phase that began last and runs now carries the mark itself.
    page = client_for(app).get("/consultations/during").get_data(as_text=True)
    assert _entries(page) == ["Opening", "Meeting under way", "Deadline"]
    current = select(page, "[aria-current=step]")
    assert len(current) == 1 and "Now" in current[0].text and "Meeting under way" in current[0].text


def test_an_ended_meeting_shows_its_attendance_and_minutes_instead_of_places_left(app):
    with setup_data(app) as build:
        consultation = _running(build, "met")
        held = _meeting_phase(consultation, "First physical meeting", utcnow() - timedelta(days=7))
        ended = build.meeting(
            consultation, held.starts_at, title="First meeting", format="hybrid", place="ITU, Geneva",
            capacity=120, phase_id=held.id,
        )  # fmt: skip
        came, stayed_away = build.user(), build.user()
        for person in (came, stayed_away):
            services.register(ended, person, "in_person", now=ended.starts_at - timedelta(days=1))
        services.record_minutes(
            ended, consultation.test_admin, "We met.", [came.id], other_attendees=4, now=ended.ends_at
        )
        coming = build.meeting(
            consultation, utcnow() + timedelta(days=3), title="Second meeting", format="hybrid",
            place="ITU, Geneva", capacity=120,
        )  # fmt: skip
        services.register(coming, came, "in_person")
    page = client_for(app).get("/consultations/met").get_data(as_text=True)
    past = select_one(page, f"#phase-{held.id}")
    assert "5 participants attended." in past.text and "places left" not in past.text
    minutes = [a for a in past.select("a") if a.text == "Minutes"]
    assert minutes and minutes[0].get("href") == f"/consultations/met/meetings/{ended.id}#minutes"
    assert "119 of 120 in-person places left" in select_one(page, f"#meeting-{coming.id}").text
    assert "attended" not in select_one(page, f"#meeting-{coming.id}").text


def test_the_time_zone_is_named_in_the_readers_language(app, monkeypatch):
    with setup_data(app) as build:
        build.consultation(slug="zoned")
    with app.test_request_context(headers={"Accept-Language": "zh"}):
        # The city is a catalog entry like any label; give the Chinese catalog its name for this test.
        monkeypatch.setitem(get_translations()._catalog, "Geneva", "日内瓦")
    chinese = client_for(app).get("/consultations/zoned", headers={"Accept-Language": "zh"})
    labels = texts(chinese.get_data(as_text=True), ".when > .tz")
    assert labels and set(labels) == {"(日内瓦时间)"}
    assert "日内瓦时间" in select_one(chinese.get_data(as_text=True), "p.hint").text
    english = client_for(app).get("/consultations/zoned", headers={"Accept-Language": "en"})
    assert set(texts(english.get_data(as_text=True), ".when > .tz")) == {"(Geneva time)"}
