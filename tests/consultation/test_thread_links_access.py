"""Brief items and meeting links name threads only the actor may read (issue 13, item 3).

A thread number the secretariat may not read (restricted community, hidden, held for approval) is
answered 404, as any unreadable object is, so walking numbers does not name every thread.
"""

from datetime import datetime, timedelta

import pytest

from app.consultation.models import BriefItem, BriefSection, MeetingItem
from app.extensions import db
from tests.factories import setup_data
from tests.support.clients import client_for

TITLE = "Secret negotiation notes"


def _thread(app, make, kind):
    """A thread titled TITLE that an ordinary member cannot read (or can, for kind 'public')."""
    if kind == "restricted":
        make.restricted_community("closed-room")
        return make.thread("closed-room", title=TITLE)
    if kind == "held":
        return make.held_thread(title=TITLE)
    thread = make.thread(title=TITLE)
    if kind == "hidden":
        make.hidden(thread)
    return thread


@pytest.fixture
def world(app):
    with setup_data(app) as build:
        consultation = build.consultation(slug="wsis17")
        secretariat = build.secretariat(consultation)
        section = BriefSection(consultation=consultation, kind="workshops", title="Workshops")
        db.session.add(section)
        db.session.flush()
        from app.consultation import services

        starts = datetime.now().replace(microsecond=0) + timedelta(days=2)
        meeting = services.create_meeting(
            consultation, consultation.test_admin, title="Check-in", format="online", place="",
            starts_at=starts, ends_at=starts + timedelta(hours=1),
        )  # fmt: skip
    return {"secretariat": secretariat, "section_id": section.id, "meeting_id": meeting.id}


def _post(app, world, target, thread_id):
    client = client_for(app, world["secretariat"])
    if target == "brief":
        url = f"/consultations/wsis17/brief/sections/{world['section_id']}/items"
        data = {"thread_id": str(thread_id), "disposition": "noted", "rationale": "Discussed."}
        page_url = "/consultations/wsis17/brief/edit"
    else:
        url = f"/consultations/wsis17/meetings/{world['meeting_id']}/links"
        data = {"thread_id": str(thread_id)}
        page_url = f"/consultations/wsis17/meetings/{world['meeting_id']}"
    response = client.post(url, data=data)
    return response, client.get(page_url).get_data(as_text=True)


def _stored(app, target):
    with app.app_context():
        model = BriefItem if target == "brief" else MeetingItem
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize("target", ["brief", "meeting"])
@pytest.mark.parametrize("kind", ["restricted", "hidden", "held"])
def test_a_thread_the_secretariat_cannot_read_is_not_found(app, make, world, target, kind):
    thread = _thread(app, make, kind)
    response, page = _post(app, world, target, thread.id)
    assert response.status_code == 404
    assert TITLE not in response.get_data(as_text=True) and TITLE not in page
    assert _stored(app, target) == 0


@pytest.mark.parametrize("target", ["brief", "meeting"])
def test_a_readable_thread_is_linked_and_named(app, make, world, target):
    thread = _thread(app, make, "public")
    response, page = _post(app, world, target, thread.id)
    assert response.status_code == 302
    assert TITLE in page and _stored(app, target) == 1
