"""Numbers in the consultation forms beyond what the database holds (CI runs this on both databases).

On PostgreSQL an id or count past 2**31 - 1 makes the query or the insert fail, so the forms refuse
such a number with a message, keep what was typed, and write nothing.
"""

from datetime import datetime, timedelta

import pytest

from app.consultation import services
from app.consultation.models import BriefItem, BriefSection, Meeting, MeetingItem, ReviewAssignment
from app.core.audit import AuditEntry
from app.core.database import id_choice
from app.extensions import db
from tests.factories import community_id, setup_data
from tests.support.clients import client_for

HUGE = ["2147483648", str(2**63), str(2**70)]
COUNTED = (Meeting, MeetingItem, BriefSection, BriefItem, ReviewAssignment, AuditEntry)
MEETING = {"title": "Typed meeting title", "format": "online", "starts_at": "2017-02-14T10:00",
           "ends_at": "2017-02-14T11:00", "remote_url": "https://meet.example.org/y"}  # fmt: skip


@pytest.fixture
def site(app):
    """A consultation with a meeting that has started, a submitted contribution and a brief section."""
    with setup_data(app) as build:
        consultation = build.consultation(slug="wsis17")
        build.reviewer(consultation)
        starts = datetime.now().replace(microsecond=0) - timedelta(days=2)
        meeting = services.create_meeting(
            consultation, consultation.test_admin, title="Second physical meeting", format="hybrid",
            place="Geneva", starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=5, agenda="1.",
        )  # fmt: skip
        contribution = build.contribution(consultation, state="submitted")
        section = services.add_section(
            consultation, consultation.test_admin, "workshops", "Workshops", "", None
        )
    base = "/consultations/wsis17"
    return {
        "admin": client_for(app, consultation.test_admin),
        "meeting": f"{base}/meetings/{meeting.id}",
        "contribution": f"{base}/contributions/{contribution.id}",
        "section": f"{base}/brief/sections/{section.id}",
        "base": base,
    }


def _counts(app):
    with app.app_context():
        return [db.session.execute(db.select(db.func.count()).select_from(m)).scalar() for m in COUNTED]


# (url key, path, form, text that must come back, message shown)
CASES = [
    ("base", "/meetings/new", {**MEETING, "capacity": "{n}"}, "Typed meeting title", "between 1 and 100000"),
    ("meeting", "/edit", {**MEETING, "capacity": "{n}"}, "Typed meeting title", "between 1 and 100000"),
    ("base", "/meetings/new", {**MEETING, "phase_id": "{n}"}, "Typed meeting title", "Invalid Choice"),
    ("meeting", "/minutes", {"minutes": "Typed minutes", "other_attendees": "{n}"}, "Typed minutes",
     "between 0 and 100000"),
    ("meeting", "/links", {"thread_id": "{n}"}, "{n}", "between 1 and 2147483647"),
    ("base", "/brief/sections", {"kind": "action_line", "title": "Typed section", "community_id": "{n}"},
     "Typed section", "Invalid Choice"),
    ("section", "/items", {"thread_id": "{n}", "disposition": "incorporated", "rationale": "Typed rationale"},
     "Typed rationale", "between 1 and 2147483647"),
    ("contribution", "/assign", {"reviewer": "{n}"}, "", "Choose a reviewer"),
]  # fmt: skip


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize(("key", "path", "form", "kept", "message"), CASES)
def test_a_number_past_the_database_is_refused_and_the_form_comes_back(
    app, site, key, path, form, kept, message, number
):
    before = _counts(app)
    data = {name: value.format(n=number) for name, value in form.items()}
    response = site["admin"].post(site[key] + path, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert kept.format(n=number) in page and message in page
    assert _counts(app) == before


def test_a_contribution_naming_an_impossible_action_line_keeps_what_was_typed(app, site):
    data = {"title": "Typed contribution", "summary": "A summary long enough to keep.", "region": "africa",
            "action_lines": [str(2**40)]}  # fmt: skip
    response = site["admin"].post(site["base"] + "/contribute/thematic", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Typed contribution" in page and "Choose at least one action line." in page


def test_counts_within_range_are_still_taken(app, site):
    with app.app_context():
        c2 = community_id("c2")
    admin = site["admin"]
    assert (
        admin.post(site["base"] + "/meetings/new", data={**MEETING, "capacity": "100000"}).status_code == 302
    )
    minutes = {"minutes": "We met.", "other_attendees": "100000"}
    assert admin.post(site["meeting"] + "/minutes", data=minutes).status_code == 302
    section = {"kind": "action_line", "title": "C2", "community_id": str(c2)}
    assert admin.post(site["base"] + "/brief/sections", data=section).status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(Meeting).filter_by(capacity=100000)).scalar_one()


@pytest.mark.parametrize(
    ("value", "expected"), [("", None), (None, None), ("None", None), ("12", 12), (12, 12)]
)
def test_id_choice_reads_empty_as_none_and_ids_as_numbers(value, expected):
    assert id_choice(value) == expected


@pytest.mark.parametrize("value", ["2147483648", "-1", "0", "x", "²", "1e3"])
def test_id_choice_refuses_what_names_no_row(value):
    with pytest.raises(ValueError):
        id_choice(value)
