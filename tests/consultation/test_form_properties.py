"""Property tests for the consultation forms: whatever is typed or sent, never a 500, and a refused
form writes nothing (CI runs this on both databases; PostgreSQL refuses more than SQLite does)."""

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.consultation import services
from app.consultation.models import BriefItem, BriefSection, Contribution, Meeting, MeetingItem, Phase
from app.core.audit import AuditEntry
from app.extensions import db
from tests.factories import setup_data
from tests.support.bodies import json_bodies, multipart_bodies, post_json, post_multipart
from tests.support.clients import client_for

COUNTED = (Contribution, Meeting, MeetingItem, Phase, BriefSection, BriefItem, AuditEntry)

text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300),
    st.sampled_from(["", " ", "\u202e", "a" * 25_000, "ي" * 70_000, "1e309", "-1", "0", "2147483648", str(2**70),
                     "2017-02-14T10:00", "2017-02-14", "Europe/Zurich", "accept", "merge", "decline", "in_person",
                     "workshop", "action_line", "incorporated", "WSIS17-1", "reviewer", "y", "on"]),
)  # fmt: skip
ints = st.integers(min_value=-(2**70), max_value=2**70).map(str)
FORMS = {
    # name: (url template, fields)
    "new consultation": ("/consultations/new", ["title", "slug", "description", "time_zone", "time_zone_label", "reference_prefix"]),
    "manage": ("/consultations/wsis17/manage", ["title", "slug", "description", "time_zone", "time_zone_label", "reference_prefix"]),
    "phase": ("/consultations/wsis17/phases/new", ["title", "kind", "starts_at", "ends_at", "all_day", "location", "description", "reason"]),
    "roles": ("/consultations/wsis17/roles", ["username", "role"]),
    "contribute thematic": ("/consultations/wsis17/contribute/thematic", ["title", "summary", "body", "action_lines", "region"]),
    "contribute workshop": ("/consultations/wsis17/contribute/workshop", ["title", "summary", "body", "action_lines", "region", "details-format", "details-duration", "details-policy_questions", "details-languages", "details-remote_participation", "details-speakers-0-name", "details-speakers-0-organisation", "details-speakers-0-stakeholder_type", "details-binding_commitment"]),
    "contribute nomination": ("/consultations/wsis17/contribute/nomination", ["title", "summary", "details-nominee", "details-organisation", "details-stakeholder_type", "details-region", "details-bio", "details-nominee_consent"]),
    "contribute event": ("/consultations/wsis17/contribute/event_input", ["title", "summary", "details-event_name", "details-level", "details-country_region", "details-event_start", "details-event_end", "details-outcome"]),
    "edit": ("/consultations/wsis17/contributions/{draft}/edit", ["title", "summary", "body", "action_lines", "region"]),
    "decide": ("/consultations/wsis17/contributions/{submitted}/decide", ["decision", "merge_into", "response"]),
    "late": ("/consultations/wsis17/contributions/{submitted}/accept-late", ["reason"]),
    "review": ("/consultations/wsis17/contributions/{submitted}/review", ["comment", "recommendation", "relevance", "clarity"]),
    "meeting": ("/consultations/wsis17/meetings/new", ["title", "format", "place", "starts_at", "ends_at", "remote_url", "capacity", "agenda", "phase_id"]),
    "register": ("/consultations/wsis17/meetings/{meeting}/register", ["mode"]),
    "minutes": ("/consultations/wsis17/meetings/{meeting}/minutes", ["minutes", "attended", "other_attendees"]),
    "links": ("/consultations/wsis17/meetings/{meeting}/links", ["reference", "thread_id"]),
    "intro": ("/consultations/wsis17/brief/intro", ["intro"]),
    "section": ("/consultations/wsis17/brief/sections", ["kind", "community_id", "title", "body"]),
    "item": ("/consultations/wsis17/brief/sections/{section}/items", ["reference", "thread_id", "disposition", "rationale"]),
}  # fmt: skip


def _counts(app):
    with app.app_context():
        return [db.session.execute(db.select(db.func.count()).select_from(m)).scalar() for m in COUNTED]


def _world(app) -> dict:
    """A consultation with a meeting that has started, a draft, a submitted contribution and a section."""
    with setup_data(app) as build:
        consultation = build.consultation(slug="wsis17")
        starts = datetime.now().replace(microsecond=0) - timedelta(days=2)
        meeting = services.create_meeting(
            consultation, consultation.test_admin, title="Second physical meeting", format="hybrid",
            place="Geneva", starts_at=starts, ends_at=starts + timedelta(hours=2),
            remote_url="https://meet.example.org/x", capacity=5, agenda="1. Opening",
        )  # fmt: skip
        draft = build.contribution(consultation, author=consultation.test_admin)
        submitted = build.contribution(consultation, state="submitted")
        section = services.add_section(consultation, consultation.test_admin, "workshops", "Workshops")
    return {"admin": consultation.test_admin, "meeting": meeting.id, "draft": draft.id,
            "submitted": submitted.id, "section": section.id}  # fmt: skip


@pytest.mark.parametrize("name", list(FORMS))
def test_consultation_forms_survive_anything(app, name):
    world = _world(app)
    url_template, fields = FORMS[name]
    url = url_template.format(**world)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(form=st.fixed_dictionaries({}, optional={field: st.one_of(text, ints) for field in fields}))
    def check(form):
        before = _counts(app)
        response = client_for(app, world["admin"]).post(url, data=form)
        assert response.status_code < 500, (name, form)
        if response.status_code >= 400:
            assert _counts(app) == before, (name, form)  # nothing half-written

    check()


@pytest.mark.parametrize("name", list(FORMS))
def test_consultation_forms_refuse_json_and_file_parts(app, name):
    """A JSON body (numbers, lists, nulls) or a file part is no form: 415, never a 500, nothing written."""
    world = _world(app)
    url_template, fields = FORMS[name]
    url = url_template.format(**world)

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        body=st.one_of(
            json_bodies(fields).map(lambda b: ("json", b)),
            multipart_bodies(fields).map(lambda p: ("multipart", p)),
        )
    )
    def check(body):
        kind, value = body
        before = _counts(app)
        client = client_for(app, world["admin"])
        response = post_json(client, url, value) if kind == "json" else post_multipart(client, url, value)
        assert response.status_code == 415, (name, body)
        assert _counts(app) == before, (name, body)

    check()
