"""CSV and JSON exports carry every contribution's metadata, state history and disposition, and the CSV
reads back to exactly the JSON."""

import csv
import io
import json

from app.consultation import exports, services
from app.consultation.models import Contribution
from app.extensions import db
from tests.consultation.builders import AFTER
from tests.consultation.conftest import client_for, setup_data


def _populate(build):
    consultation = build.consultation(slug="wsis17")
    admin = consultation.test_admin
    author = build.user(
        "amina", organisation="=cmd|' /C calc'!A0", country="Sénégal"
    )  # a formula-looking value
    made = [
        build.contribution(consultation, author, kind, state)
        for kind, state in [
            ("thematic", "accepted"), ("format", "declined"), ("workshop", "accepted"), ("nomination", "submitted"),
            ("event_input", "under_review"), ("thematic", "withdrawn"), ("thematic", "merged"),
        ]
    ]  # fmt: skip
    late = build.contribution(
        consultation, author, "thematic", summary='- starts with a dash, "quoted", new\nline'
    )
    services.accept_late(late, admin, "Post was slow.", now=AFTER)
    section = services.add_section(consultation, admin, "workshops", "Workshops")
    services.add_item(section, admin, "partially", "Merged into session 3.", contribution=made[2])
    services.publish(consultation, admin, now=AFTER)
    build.contribution(consultation, author, "thematic", "draft", title="Never exported")
    return consultation


def test_csv_round_trips_to_json_for_every_field(app):
    with setup_data(app) as build:
        consultation = _populate(build)
        secretariat = build.secretariat(consultation)
    client = client_for(app, secretariat)
    document = json.loads(client.get("/consultations/wsis17/export.json").get_data(as_text=True))
    response = client.get("/consultations/wsis17/export.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert document["fields"] == list(exports.FIELDS)
    assert list(rows[0].keys()) == list(exports.FIELDS)
    assert len(rows) == len(document["contributions"]) == 9  # drafts excepted
    for row, record in zip(rows, document["contributions"], strict=True):
        assert exports.from_csv_row(row) == record
    assert "Never exported" not in response.get_data(as_text=True)
    # Spreadsheet formulas are defused in the CSV but restored on reading.
    assert any(row["submitter_organisation"].startswith("'=") for row in rows)


def test_records_match_the_database(app):
    with setup_data(app) as build:
        consultation = _populate(build)
        secretariat = build.secretariat(consultation)
    records = json.loads(client_for(app, secretariat).get("/consultations/wsis17/export.json").data)[
        "contributions"
    ]
    with app.app_context():
        for record in records:
            contribution = db.session.get(Contribution, record["id"])
            assert record["reference"] == contribution.reference and record["state"] == contribution.state
            assert record["details"] == contribution.details
            assert [step["to"] for step in record["state_history"]] == [
                step.to_state for step in contribution.history
            ]
            assert record["action_lines"] == [line.community.code for line in contribution.action_lines]
            assert record["submitter_organisation"] == contribution.submitter_organisation
    workshop = next(r for r in records if r["type"] == "workshop")
    assert workshop["dispositions"] == [
        {"section": "Workshops", "disposition": "partially", "rationale": "Merged into session 3."}
    ]
    assert len(workshop["details"]["speakers"]) == 3
    merged = next(r for r in records if r["state"] == "merged")
    assert merged["merged_into"].startswith("WSIS17-TA-")
    late = next(r for r in records if r["is_late"])
    assert (
        late["state_history"][-1]["action"] == "accept_late"
        and late["state_history"][-1]["note"] == "Post was slow."
    )
    assert all(r["submitted_at"].endswith("Z") for r in records)


def test_public_export_hides_private_fields(app):
    with setup_data(app) as build:
        _populate(build)
    records = json.loads(client_for(app).get("/consultations/wsis17/export.json").data)["contributions"]
    assert {r["type"] for r in records} >= {"thematic", "workshop"}
    assert not any(r["state"] in ("submitted", "under_review") and r["type"] == "nomination" for r in records)
    assert not any(r["state"] == "withdrawn" for r in records)
    late = next(r for r in records if r["is_late"])
    assert late["state_history"][-1]["note"] == ""  # the administrator's reason is internal
