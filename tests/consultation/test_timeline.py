"""Phases from dates at request time; the timeline page and the administrators' phase editing (logged)."""

from datetime import datetime

import pytest

from app.consultation.models import Phase
from app.consultation.seed import WSIS2017_SLUG, seed_demo
from app.core.audit import AuditEntry
from app.extensions import db
from tests.factories import setup_data
from tests.support.clients import client_for
from tests.support.pages import select


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
