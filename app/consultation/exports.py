"""CSV and JSON exports of a consultation's contributions: metadata, state history, disposition and
the files attached (name, type, size, pages, SHA-256 and the address to download each).

JSON is the complete machine-readable record. CSV is the same record made for spreadsheet programs:
UTF-8 with a byte-order mark (so Excel reads Arabic and Chinese), one value per cell — the type's own
fields get a column each (`details.<name>`), lists are joined with "; " — and values that a spreadsheet
would run as a formula are prefixed with an apostrophe.
"""

import csv
import io
import json

from flask import url_for

from app.consultation import brief_view
from app.consultation.models import (
    Contribution,
    ContributionState,
    visible_contributions_clause,
)
from app.core.time import isoformat
from app.extensions import db
from app.files import services as files
from app.supports import services as supports

FIELDS = (
    "id", "reference", "type", "state", "title", "summary", "body", "language", "action_lines", "author",
    "submitter_organisation", "submitter_stakeholder_type", "submitter_country", "submitter_region",
    "created_at", "submitted_at", "decided_at", "withdrawn_at", "is_late", "merged_into", "thread_id",
    "official_response", "details", "state_history", "dispositions", "files", "supports", "supports_by_group",
)  # fmt: skip
DETAIL_FIELDS = (
    "format",
    "duration",
    "policy_questions",
    "languages",
    "remote_participation",
    "speakers",
    "binding_commitment",
    "nominee",
    "organisation",
    "stakeholder_type",
    "region",
    "bio",
    "nominee_consent",
    "event_name",
    "level",
    "country_region",
    "event_start",
    "event_end",
    "outcome",
)  # fmt: skip  (every type's own fields, types.clean_details)
CSV_FIELDS = tuple(
    column
    for name in FIELDS
    for column in ([f"details.{detail}" for detail in DETAIL_FIELDS] if name == "details" else [name])
)
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
BYTE_ORDER_MARK = "\ufeff"


def exported_contributions(consultation, user) -> list[Contribution]:
    """What `user` may see, drafts excepted, in reference order."""
    return (
        db.session.execute(
            db.select(Contribution)
            .where(
                Contribution.consultation_id == consultation.id,
                Contribution.state != ContributionState.DRAFT,
                visible_contributions_clause(user, consultation),
            )
            .order_by(Contribution.type, Contribution.number)
        )
        .scalars()
        .all()
    )


def _dispositions(consultation, user) -> dict[int, list]:
    """Each contribution's place in the brief the user reads (its published version, or the draft
    for the secretariat before publication)."""
    shown = brief_view.for_reader(consultation, user)
    found: dict[int, list] = {}
    for section in shown.sections if shown else ():
        for item in section.items:
            if item.contribution is not None:
                found.setdefault(item.contribution.id, []).append(
                    {
                        "section": section.title,
                        "disposition": item.disposition,
                        "rationale": item.rationale_source,
                    }
                )
    return found


def file_record(upload) -> dict:
    """A file of a contribution as the exports list it; `url` downloads it (for whoever may see it)."""
    return {
        "id": upload.id, "name": upload.name, "type": upload.mimetype, "size": upload.size, "pages": upload.pages,
        "sha256": upload.digest, "language": upload.language,
        "url": url_for("files.download", upload_id=upload.id, name=upload.name, _external=True),
    }  # fmt: skip


def contribution_record(contribution, user, dispositions, attached=(), tally=None) -> dict:
    """One contribution as an export record (the official response only where `user` may see it;
    supports by stakeholder group for the public kinds)."""
    tally = tally or supports.Tally()
    return {
        "id": contribution.id,
        "reference": contribution.reference,
        "type": contribution.type,
        "state": contribution.state,
        "title": contribution.title,
        "summary": contribution.summary,
        "body": contribution.body_source,
        "language": contribution.language,
        "action_lines": [line.community.code for line in contribution.action_lines],
        "author": contribution.author.username,
        "submitter_organisation": contribution.submitter_organisation,
        "submitter_stakeholder_type": contribution.submitter_stakeholder_type,
        "submitter_country": contribution.submitter_country,
        "submitter_region": contribution.submitter_region,
        "created_at": isoformat(contribution.created_at),
        "submitted_at": isoformat(contribution.submitted_at),
        "decided_at": isoformat(contribution.decided_at),
        "withdrawn_at": isoformat(contribution.withdrawn_at),
        "is_late": contribution.is_late,
        "merged_into": contribution.merged_into.reference if contribution.merged_into else None,
        "thread_id": contribution.thread_id,
        "official_response": contribution.response_source if contribution.can_see_response(user) else None,
        "details": contribution.details,
        "state_history": [_step(contribution, step, user) for step in contribution.history],
        "dispositions": dispositions.get(contribution.id, []),
        "files": [file_record(upload) for upload in attached if files.can_download(upload, user)],
        "supports": tally.total,
        "supports_by_group": dict(tally.groups()),
    }


def _step(contribution, step, user) -> dict:
    record = step.as_dict()
    if not contribution.can_see_note(step, user):
        record["note"] = ""
    return record


def records(consultation, user) -> list[dict]:
    dispositions = _dispositions(consultation, user)
    contributions = exported_contributions(consultation, user)
    attached = files.attachments_of("contribution", [c.id for c in contributions])
    tallies = supports.tallies("contribution", [c.id for c in contributions])
    return [
        contribution_record(c, user, dispositions, attached.get(c.id, ()), tallies[c.id])
        for c in contributions
    ]


def as_json(consultation, user) -> str:
    document = {
        "consultation": {
            "slug": consultation.slug,
            "title": consultation.title,
            "time_zone": consultation.time_zone,
        },
        "fields": list(FIELDS),
        "contributions": records(consultation, user),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _cell_text(value) -> str:
    """One spreadsheet cell: lists joined, a speaker's fields joined, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_cell_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(_cell_text(item) for item in value.values() if item not in (None, ""))
    return str(value)


def _history_text(step: dict) -> str:
    text = f"{step['at']} {step['to']}" + (f" ({step['by']})" if step["by"] else "")
    return text + (f": {step['note']}" if step["note"] else "")


def _file_text(file: dict) -> str:
    return f"{file['name']} <{file['url']}>"


def _disposition_text(disposition: dict) -> str:
    text = f"{disposition['section']}: {disposition['disposition']}"
    return text + (f" — {disposition['rationale']}" if disposition["rationale"] else "")


def csv_cells(record: dict) -> dict:
    """An export record as the CSV's cells (formulas defused)."""
    values = {
        name: record[name]
        for name in FIELDS
        if name not in ("details", "state_history", "dispositions", "files", "supports_by_group")
    }
    values.update({f"details.{name}": record["details"].get(name) for name in DETAIL_FIELDS})
    values["state_history"] = [_history_text(step) for step in record["state_history"]]
    values["dispositions"] = [_disposition_text(item) for item in record["dispositions"]]
    values["files"] = [_file_text(file) for file in record["files"]]
    values["supports_by_group"] = [
        f"{group}: {count}" for group, count in record["supports_by_group"].items()
    ]
    cells = {}
    for column in CSV_FIELDS:
        text = _cell_text(values[column])
        cells[column] = "'" + text if text.startswith(FORMULA_STARTS) else text
    return cells


def as_csv(consultation, user) -> str:
    out = io.StringIO()
    out.write(BYTE_ORDER_MARK)
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for record in records(consultation, user):
        writer.writerow(csv_cells(record))
    return out.getvalue()
