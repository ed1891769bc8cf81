"""Writing contributions through the web: the whole form, bad input, refused actions, ids and permissions."""

import re
from datetime import datetime, timedelta

import pytest

from app.consultation.models import Contribution
from app.core.time import utcnow
from app.extensions import db
from tests.factories import community_id, setup_data
from tests.support.clients import client_for


@pytest.fixture
def live(app):
    """A consultation open now (deadline in ten days), an author, a stranger and an administrator."""
    with setup_data(app) as build:
        soon = utcnow() + timedelta(days=10)
        consultation = build.consultation(slug="live", deadline_local=soon.replace(second=0, microsecond=0),
                                          opens_local=datetime(2020, 1, 1))  # fmt: skip
        people = {
            "author": build.user("author"),
            "other": build.user("other"),
            "admin": consultation.test_admin,
        }
        lines = [community_id("c7-e-health"), community_id("c2")]
        consultation.submitted_id = build.contribution(
            consultation, author=people["author"], state="submitted", now=utcnow()
        ).id
    return consultation, people, lines


def workshop_form(lines, speakers=3, **overrides):
    data = {
        "title": "Telemedicine for rural clinics", "summary": "A roundtable on rural telemedicine.",
        "body": "We propose **three** speakers.", "action_lines": [str(i) for i in lines], "region": "africa",
        "details-format": "roundtable", "details-duration": "90", "details-policy_questions": "How to pay for it?",
        "details-languages": ["en", "fr"], "details-remote_participation": "Captions please",
        "details-binding_commitment": "y", "action": "submit",
    }  # fmt: skip
    names = ["Amina Diallo", "Jon Berg", "Priya Nair", "Li Wei"]
    for index in range(speakers):
        data[f"details-speakers-{index}-name"] = names[index]
        data[f"details-speakers-{index}-organisation"] = f"Org of {names[index]}"
        data[f"details-speakers-{index}-stakeholder_type"] = "civil_society"
    data.update(overrides)
    return data


def test_workshop_request_end_to_end(app, live):
    consultation, people, lines = live
    client = client_for(app, people["author"])
    form_page = client.get("/consultations/live/contribute/workshop")
    assert form_page.status_code == 200 and "details-speakers-5-name" in form_page.get_data(as_text=True)
    response = client.post("/consultations/live/contribute/workshop", data=workshop_form(lines))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "WSIS17-WS-0001" in page and "Priya Nair" in page and "<strong>three</strong>" in page
    with app.app_context():
        contribution = db.session.execute(db.select(Contribution).filter_by(type="workshop")).scalar_one()
        assert contribution.state == "submitted" and contribution.community_ids == lines
        details = contribution.details
        assert (
            details["duration"] == 90
            and details["languages"] == ["en", "fr"]
            and details["binding_commitment"]
        )
        assert [s["name"] for s in details["speakers"]] == ["Amina Diallo", "Jon Berg", "Priya Nair"]
        assert contribution.submitter_organisation == people["author"].organisation
    assert client_for(app).get(response.headers["Location"]).status_code == 404  # private until decided


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"speakers": 2}, "at least 3 speakers"),
        ({"details-binding_commitment": ""}, "commitment"),
        ({"details-languages": []}, "language"),
        ({"action_lines": []}, "action line"),
        ({"action_lines": ["999999"]}, "action line"),
        ({"details-duration": "abc"}, "could not coerce"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_workshop_input_comes_back_with_what_was_typed(app, live, overrides, message):
    consultation, people, lines = live
    speakers = overrides.pop("speakers", 3)
    client = client_for(app, people["author"])
    response = client.post(
        "/consultations/live/contribute/workshop", data=workshop_form(lines, speakers, **overrides)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message.lower() in page.lower()
    assert 'value="Amina Diallo"' in page and "How to pay for it?" in page
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Contribution.id))).scalar() == 1  # the fixture's


@pytest.mark.parametrize(
    "start, end, message",
    [
        ("2017-13-45", "2017-01-17", "first day"),
        ("2017-01-16", "not a date", "last day"),
        ("2017-01-17", "2017-01-16", "cannot end before"),
    ],
)
def test_bad_event_dates(app, live, start, end, message):
    consultation, people, lines = live
    data = {
        "title": "Arab regional review", "summary": "Outcomes of the regional review.", "action_lines": [str(lines[0])],
        "region": "arab_states", "details-event_name": "Arab Review", "details-level": "regional",
        "details-country_region": "Tunisia", "details-event_start": start, "details-event_end": end,
        "details-outcome": "Arabic content", "action": "save",
    }  # fmt: skip
    response = client_for(app, people["author"]).post("/consultations/live/contribute/event_input", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page.lower() or message in page
    assert 'value="Arab Review"' in page and start in page


def test_submission_after_the_deadline_keeps_the_draft(app):
    with setup_data(app) as build:
        consultation = build.consultation(slug="closed", deadline_local=datetime(2017, 2, 20, 23, 59))
        author = build.user("late_author")
        draft = build.contribution(consultation, author=author)
    client = client_for(app, author)
    response = client.post(f"/consultations/closed/contributions/{draft.id}/submit")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "deadline for contributions has passed" in page
    assert "Ask for late acceptance" in page
    with app.app_context():
        assert db.session.get(Contribution, draft.id).state == "draft"
    assert (
        client.post(
            f"/consultations/closed/contributions/{draft.id}/request-late", data={"note": "Outage"}
        ).status_code
        == 302
    )
    admin = client_for(app, consultation.test_admin)
    assert "Accept this late contribution" in admin.get(
        f"/consultations/closed/contributions/{draft.id}"
    ).get_data(as_text=True)
    assert (
        admin.post(
            f"/consultations/closed/contributions/{draft.id}/accept-late", data={"reason": ""}
        ).status_code
        == 400
    )
    assert (
        admin.post(
            f"/consultations/closed/contributions/{draft.id}/accept-late", data={"reason": "Outage confirmed"}
        ).status_code
        == 302
    )
    with app.app_context():
        accepted = db.session.get(Contribution, draft.id)
        assert accepted.state == "submitted" and accepted.is_late


def test_save_and_submit_after_deadline_saves_the_draft(app):
    with setup_data(app) as build:
        build.consultation(slug="closed", deadline_local=datetime(2017, 2, 20, 23, 59))
        author = build.user("late_writer")
        lines = [community_id("c2")]
    response = client_for(app, author).post(
        "/consultations/closed/contribute/workshop", data=workshop_form(lines)
    )
    assert response.status_code == 302
    page = client_for(app, author).get(response.headers["Location"]).get_data(as_text=True)
    assert "not submitted" in page or "deadline" in page
    with app.app_context():
        assert db.session.execute(db.select(Contribution.state)).scalar_one() == "draft"


@pytest.mark.parametrize(
    "url",
    [
        "/consultations/nope",
        "/consultations/live/contributions/abc",
        "/consultations/live/contributions/999",
        "/consultations/live/contributions/1.5/edit",
        "/consultations/live/meetings/xyz",
        "/consultations/live/export.xml",
    ],
)
def test_unknown_or_malformed_ids_are_404(app, live, url):
    assert client_for(app).get(url).status_code == 404


def test_unknown_type_is_404(app, live):
    consultation, people, lines = live
    assert client_for(app, people["author"]).get("/consultations/live/contribute/bogus").status_code == 404


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/consultations/new"),
        ("get", "/consultations/live/manage"),
        ("get", "/consultations/live/phases/new"),
        ("get", "/consultations/live/meetings/new"),
        ("get", "/consultations/live/review"),
        ("get", "/consultations/live/brief/edit"),
        ("post", "/consultations/live/brief/publish"),
    ],
)
def test_forbidden_pages_are_403(app, live, method, url):
    consultation, people, lines = live
    assert getattr(client_for(app, people["other"]), method)(url).status_code == 403
    response = getattr(client_for(app), method)(url)
    assert response.status_code in (302, 401) or response.status_code == 403


def test_others_cannot_act_on_a_contribution(app, live):
    consultation, people, lines = live
    contribution_id = consultation.submitted_id
    other = client_for(app, people["other"])
    base = f"/consultations/live/contributions/{contribution_id}"
    assert other.get(f"{base}/edit").status_code == 403
    assert other.post(f"{base}/withdraw").status_code == 403
    assert other.post(f"{base}/screen").status_code == 403
    assert other.post(f"{base}/decide", data={"decision": "accept", "response": "x"}).status_code == 403
    assert other.post(f"{base}/accept-late", data={"reason": "x"}).status_code == 403
    with app.app_context():
        assert db.session.get(Contribution, contribution_id).state == "submitted"


def test_author_edits_and_withdraws(app, live):
    consultation, people, lines = live
    client = client_for(app, people["author"])
    response = client.post("/consultations/live/contribute/thematic", data={
        "title": "Community networks", "summary": "License community networks.", "action_lines": [str(lines[1])],
        "region": "africa", "action": "submit",
    })  # fmt: skip
    url = response.headers["Location"]
    contribution_id = int(re.search(r"/(\d+)$", url).group(1))
    edit = client.get(f"{url}/edit").get_data(as_text=True)
    assert 'value="Community networks"' in edit
    response = client.post(f"{url}/edit", data={
        "title": "Community networks as infrastructure", "summary": "License community networks.",
        "action_lines": [str(lines[1])], "region": "africa", "action": "save",
    })  # fmt: skip
    assert response.status_code == 302
    assert client.post(f"{url}/withdraw", data={"note": "Merged with a colleague's"}).status_code == 302
    with app.app_context():
        contribution = db.session.get(Contribution, contribution_id)
        assert (
            contribution.title == "Community networks as infrastructure" and contribution.state == "withdrawn"
        )
        assert contribution.thread is not None  # thematic contributions open their discussion on submission
