"""The audit log as a spreadsheet (administrators): one row per entry, the entry's sentence as the
viewer reads it, and each key of its before/after record in a column of its own (`before.state`)."""

from markupsafe import Markup

from app.communities.models import Community
from app.core import audit
from app.core.spreadsheets import csv_document
from app.core.time import isoformat
from app.extensions import db

COLUMNS = [
    "id", "created_at", "actor", "action", "summary", "target_type", "target_id", "community", "reason",
    "audience", "audience_id",
]  # fmt: skip


def as_csv(entries, viewer) -> str:
    """`entries` (AuditEntry rows) as CSV, read as `viewer` reads them."""
    entries = list(entries)
    communities = _community_titles({entry.community_id for entry in entries if entry.community_id})
    rows = [_row(entry, viewer, communities) for entry in entries]
    changes = sorted({key for row in rows for key in row if key.startswith(("before.", "after."))})
    return csv_document(COLUMNS + changes, rows)


def _row(entry, viewer, communities) -> dict:
    row = {
        "id": entry.id,
        "created_at": isoformat(entry.created_at),
        "actor": entry.actor.username if entry.actor is not None else "",
        "action": entry.action,
        "summary": Markup(audit.sentence(entry, viewer)).striptags(),
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "community": communities.get(entry.community_id, ""),
        "reason": entry.reason,
        "audience": entry.audience,
        "audience_id": entry.audience_id,
    }
    for side, values in (("before", entry.before), ("after", entry.after)):
        if isinstance(values, dict):
            row.update({f"{side}.{key}": value for key, value in values.items()})
    return row


def _community_titles(ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(db.select(Community).where(Community.id.in_(ids))).scalars()
    return {community.id: community.title() for community in rows}
