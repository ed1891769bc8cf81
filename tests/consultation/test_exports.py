"""CSV and JSON exports carry every contribution's metadata, state history and disposition; the CSV holds
the JSON's values one per cell, for spreadsheet programs."""

import csv
import io
import json

from app.consultation import exports, services
from app.consultation.models import Contribution
from app.extensions import db
from tests.factories import AFTER, setup_data
from tests.support.clients import client_for


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


def _csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_csv_holds_the_json_records_one_value_per_cell(app):
    with setup_data(app) as build:
        consultation = _populate(build)
        secretariat = build.secretariat(consultation)
    client = client_for(app, secretariat)
    document = json.loads(client.get("/consultations/wsis17/export.json").get_data(as_text=True))
    response = client.get("/consultations/wsis17/export.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    assert document["fields"] == list(exports.FIELDS)
    assert list(rows[0].keys()) == list(exports.CSV_FIELDS)
    assert len(rows) == len(document["contributions"]) == 9  # drafts excepted
    for row, record in zip(rows, document["contributions"], strict=True):
        assert row == exports.csv_cells(record)
    assert "Never exported" not in response.get_data(as_text=True)
    # Spreadsheet formulas are defused.
    assert any(row["submitter_organisation"].startswith("'=") for row in rows)


def test_csv_opens_in_a_spreadsheet_program(app):
    """A byte-order mark (Excel reads UTF-8 only with it) and no JSON text in any cell."""
    with setup_data(app) as build:
        consultation = _populate(build)
        secretariat = build.secretariat(consultation)
    response = client_for(app, secretariat).get("/consultations/wsis17/export.csv")
    assert response.get_data().startswith("\ufeff".encode())
    rows = _csv_rows(response)
    assert not any(cell.startswith(("[", "{")) for row in rows for cell in row.values())
    workshop = next(row for row in rows if row["type"] == "workshop")
    assert workshop["action_lines"] and "[" not in workshop["action_lines"]
    assert workshop["details.speakers"].count("; ") == 2  # three speakers, one cell
    assert workshop["details.binding_commitment"] == "true"
    assert workshop["dispositions"] == "Workshops: partially — Merged into session 3."
    assert workshop["id"].isdigit() and workshop["is_late"] == "false"
    late = next(row for row in rows if row["is_late"] == "true")
    assert late["state_history"].endswith("Post was slow.")
    assert "Sénégal" in {row["submitter_country"] for row in rows}


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
