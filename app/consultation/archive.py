"""A consultation as one ZIP for the archive: `consultation.json` (the consultation, its final brief
and every contribution the secretariat sees, each file named by its path in the archive),
`contributions.csv`, and the files themselves under `files/<reference>/`."""

import json
import tempfile
import zipfile

from app.consultation import exports
from app.core.time import isoformat, utcnow
from app.files import services as files

SPOOL_BYTES = 16 * 1024 * 1024  # a larger archive is written to a temporary file, not kept in memory


def brief_record(consultation, user) -> dict:
    """The final brief: its introduction and, per section, each input with its disposition."""
    return {
        "published_at": isoformat(consultation.brief_published_at),
        "introduction": consultation.brief_intro_source,
        "versions": [
            {
                "number": v.number,
                "published_at": isoformat(v.published_at),
                "note": v.note,
                "content": v.content,
            }
            for v in consultation.brief_versions
        ],
        "sections": [
            {
                "title": section.title,
                "kind": section.kind,
                "text": section.body_source,
                "items": [_item_record(item) for item in section.items if item.can_view(user)],
            }  # fmt: skip
            for section in consultation.brief_sections
        ],
    }


def _item_record(item) -> dict:
    source = (
        {"contribution": item.contribution.reference or item.contribution_id}
        if item.contribution is not None
        else {"thread": item.thread_id, "thread_title": item.thread.title}
    )
    return source | {"disposition": item.disposition, "rationale": item.rationale_source}


def file_path(record: dict, file: dict) -> str:
    """Where a contribution's file sits in the archive (the upload id keeps equal names apart)."""
    folder = record["reference"] or f"contribution-{record['id']}"
    return f"files/{folder}/{file['id']}-{file['name']}"


def archive(consultation, user):
    """The ZIP as a file object positioned at its start (spooled to disk past SPOOL_BYTES)."""
    records = exports.records(consultation, user)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    store = files.storage()
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for record in records:
            for file in record["files"]:
                file["path"] = file_path(record, file)
                # documents and images are compressed already: stored as they are
                bundle.writestr(file["path"], store.read(file["sha256"]), compress_type=zipfile.ZIP_STORED)
        document = {
            "consultation": {
                "slug": consultation.slug, "title": consultation.title, "time_zone": consultation.time_zone,
                "archived_at": isoformat(utcnow()), "brief": brief_record(consultation, user),
            },
            "fields": list(exports.FIELDS),
            "contributions": records,
        }  # fmt: skip
        bundle.writestr("consultation.json", json.dumps(document, ensure_ascii=False, indent=2))
        bundle.writestr("contributions.csv", exports.as_csv(consultation, user))
    spool.seek(0)
    return spool
