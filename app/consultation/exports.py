"""CSV and JSON exports of a consultation's contributions: metadata, state history and disposition.

Both carry the same fields. In CSV, lists and objects are JSON text and values that a spreadsheet
would run as a formula are prefixed with an apostrophe; `from_csv_row` undoes both, so a CSV row
reads back to exactly the JSON record.
"""

import csv
import io
import json

from app.consultation.models import (
    BriefItem,
    BriefSection,
    Contribution,
    ContributionState,
    visible_contributions_clause,
)
from app.core.time import isoformat
from app.extensions import db

FIELDS = (
    "id", "reference", "type", "state", "title", "summary", "body", "language", "action_lines", "author",
    "submitter_organisation", "submitter_stakeholder_type", "submitter_country", "submitter_region",
    "created_at", "submitted_at", "decided_at", "withdrawn_at", "is_late", "merged_into", "thread_id",
    "official_response", "details", "state_history", "dispositions",
)  # fmt: skip
JSON_FIELDS = frozenset(
    {"action_lines", "details", "state_history", "dispositions", "is_late", "id", "thread_id"}
)
NULLABLE_FIELDS = frozenset(
    {"language", "submitted_at", "decided_at", "withdrawn_at", "merged_into", "official_response"}
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


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


def _dispositions(consultation) -> dict[int, list]:
    rows = db.session.execute(
        db.select(BriefItem, BriefSection)
        .join(BriefSection, BriefItem.section_id == BriefSection.id)
        .where(BriefSection.consultation_id == consultation.id, BriefItem.contribution_id.is_not(None))
        .order_by(BriefSection.position, BriefItem.position)
    ).all()
    found: dict[int, list] = {}
    for item, section in rows:
        found.setdefault(item.contribution_id, []).append(
            {"section": section.title, "disposition": item.disposition, "rationale": item.rationale_source}
        )
    return found


def contribution_record(contribution, user, dispositions) -> dict:
    """One contribution as an export record (the official response only where `user` may see it)."""
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
    }


def _step(contribution, step, user) -> dict:
    record = step.as_dict()
    if not contribution.can_see_note(step, user):
        record["note"] = ""
    return record


def records(consultation, user) -> list[dict]:
    dispositions = _dispositions(consultation) if consultation.can_view_brief(user) else {}
    return [contribution_record(c, user, dispositions) for c in exported_contributions(consultation, user)]


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


def _csv_value(name, value) -> str:
    if name in JSON_FIELDS:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_csv(consultation, user) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for record in records(consultation, user):
        writer.writerow({name: _csv_value(name, record[name]) for name in FIELDS})
    return out.getvalue()


def from_csv_row(row: dict) -> dict:
    """A CSV row read back into the JSON export's record."""
    record = {}
    for name in FIELDS:
        text = row[name]
        if name in JSON_FIELDS:
            record[name] = json.loads(text)
        elif text == "" and name in NULLABLE_FIELDS:
            record[name] = None
        else:
            record[name] = text[1:] if text.startswith("'") else text
    return record
