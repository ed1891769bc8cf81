"""Upload a file for a kind of item, attach uploads to the item once it is saved, remove one."""

import logging
import re
import unicodedata
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import jobs
from app.core import signals
from app.core.refusals import Refused
from app.core.time import utcnow
from app.extensions import db
from app.files import parents
from app.files.extraction import EXTRACTABLE, ExtractionFailed, extract_bounded
from app.files.inspection import Limits, inspect
from app.files.models import Upload, UploadPage
from app.files.scanning import scan
from app.files.storage import LocalStorage, S3Storage

logger = logging.getLogger(__name__)

EXTRACT_JOB = "files.extract"
SCAN_JOB = "files.scan"
SCAN_ATTEMPTS = 16  # with the jobs' back-off, about six hours of a daemon away


class UploadRefused(Refused):
    """An upload or attachment the rules refuse; the message says why."""


_attach_checks: list = []


def register_attach_check(check) -> None:
    """`check(user, count)` refuses (raises `Refused`) attaching `count` files to one item: moderation
    limits new members as it limits their links."""
    if check not in _attach_checks:
        _attach_checks.append(check)


def storage() -> LocalStorage | S3Storage:
    """The blob store UPLOAD_STORAGE names, made once per app (an S3 client keeps its connections)."""
    store = current_app.extensions.get("majlis_upload_storage")
    if store is None:
        config = current_app.config
        if config["UPLOAD_STORAGE"] == "s3":
            store = S3Storage.from_config(config)
        else:
            store = LocalStorage(config.get("UPLOAD_DIR") or config["INSTANCE_DIR"] / "uploads")
        current_app.extensions["majlis_upload_storage"] = store
    return store


def display_name(filename: str, extension: str) -> str:
    """The sent name, for display only: no path, no control characters, the extension of the real type."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r'[\x00-\x1f\x7f"<>]', "", name).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{(stem or 'file')[:150]}.{extension}"


def upload(user, data: bytes, filename: str, parent_kind: str, language: str | None = None) -> Upload:
    """Inspect and store a file sent for an item of `parent_kind`; it waits unattached until the item
    is saved (and, with a malware scanner, in quarantine until scanned). `language` is the one its
    uploader declared for a document's text (None: detected page by page)."""
    kind = parents.parent(parent_kind)
    if kind is None:
        raise UploadRefused(_l("Files cannot be attached there."))
    if not user.can_post():
        raise UploadRefused(_l("You cannot post at the moment, so you cannot upload files."))
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    if len(data) > limit:
        raise UploadRefused(_l("The file is larger than %(size)d MB.", size=limit // (1024 * 1024)))
    _check_daily_quota(user, len(data))
    found = inspect(
        data, kind.allowed_types(), Limits(image_pixels=current_app.config["UPLOAD_IMAGE_MAX_PIXELS"])
    )
    store = storage()
    row = Upload(
        digest=store.put(found.data), thumbnail_digest=store.put(found.thumbnail) if found.thumbnail else None,
        size=len(found.data), mimetype=found.mimetype, kind=found.kind, name=display_name(filename, found.extension),
        pages=found.pages, width=found.width, height=found.height, uploader_id=user.id, created_at=utcnow(),
        language=language if found.kind == "document" else None,
        scan_state="pending" if current_app.config["CLAMD_SOCKET"] else "clean",
    )  # fmt: skip
    db.session.add(row)
    db.session.flush()
    if row.scan_state == "pending":
        jobs.enqueue(SCAN_JOB, upload_id=row.id)
    logger.info("%s uploaded %s (%s, %d bytes)", user, row.id, row.mimetype, row.size)
    return row


def _check_daily_quota(user, size: int) -> None:
    since = utcnow() - timedelta(days=1)
    used = db.session.execute(
        db.select(db.func.coalesce(db.func.sum(Upload.size), 0)).where(
            Upload.uploader_id == user.id, Upload.created_at >= since
        )
    ).scalar()
    if used + size > current_app.config["UPLOAD_DAILY_BYTES"]:
        raise UploadRefused(_l("You have uploaded as much as a day allows. Try again tomorrow."))


def attach(upload_ids: list[int], parent_kind: str, parent_id: int, user) -> list[Upload]:
    """Attach the member's own unattached uploads to the item just saved (at most UPLOAD_MAX_FILES)."""
    ids = list(dict.fromkeys(upload_ids))[: current_app.config["UPLOAD_MAX_FILES"] + 1]
    if not ids:
        return []
    if len(ids) > current_app.config["UPLOAD_MAX_FILES"]:
        raise UploadRefused(
            _l("Attach at most %(count)d files.", count=current_app.config["UPLOAD_MAX_FILES"])
        )
    for check in _attach_checks:
        check(user, len(ids))
    rows = (
        db.session.execute(
            db.select(Upload).where(
                Upload.id.in_(ids),
                Upload.uploader_id == user.id,
                Upload.parent_id.is_(None),
                Upload.removed_at.is_(None),
            )
        )
        .scalars()
        .all()
    )
    for row in rows:
        if row.scan_state == "infected":
            raise UploadRefused(_l("“%(name)s” did not pass the malware scan.", name=row.name))
    if len(rows) != len(ids):
        raise UploadRefused(_l("One of the files is no longer available: upload it again."))
    _check_item_size(rows, parent_kind, parent_id)
    now = utcnow()
    for row in rows:
        row.parent_type, row.parent_id, row.attached_at = parent_kind, parent_id, now
        if not row.is_quarantined:
            _enqueue_extraction(row)
    db.session.flush()
    return rows


def _enqueue_extraction(row: Upload) -> None:
    if row.mimetype in EXTRACTABLE and row.parent_id is not None:
        jobs.enqueue(EXTRACT_JOB, upload_id=row.id)


def scan_upload(upload_id: int) -> None:
    """The `files.scan` job: stream the file to CLAMD_SOCKET. Clean, it leaves quarantine (and, if
    attached, is read for search); infected, it is never served and its item's page says so. A
    daemon away raises, and the job is tried again later with the file still in quarantine."""
    row = db.session.get(Upload, upload_id)
    if row is None or row.scan_state != "pending":
        return
    found = scan(storage().read(row.digest), current_app.config["CLAMD_SOCKET"])
    if found is None:
        row.scan_state = "clean"
        _enqueue_extraction(row)
    else:
        row.scan_state, row.scan_result = "infected", found[:200]
        logger.warning("Upload %s (%s) is infected: %s", row.id, row.name, found)
    db.session.flush()


def scan_gave_up(error: str, upload_id: int) -> None:
    logger.error(
        "Upload %s stays in quarantine: no scan after %d attempts (%s)", upload_id, SCAN_ATTEMPTS, error
    )


def can_remove(row: Upload, user) -> bool:
    """The uploader, while the item it is attached to may still be edited by them."""
    if (
        row.removed_at is not None
        or row.parent_id is None
        or not user.is_authenticated
        or user.id != row.uploader_id
    ):
        return False
    kind = parents.parent(row.parent_type)
    item = kind.load(row.parent_id) if kind is not None else None
    return item is not None and kind.can_edit(item, user)


def remove(row: Upload, user) -> None:
    """Take a file off its item; the item's page keeps a line saying it was removed, when and by whom."""
    if not can_remove(row, user):
        raise UploadRefused(_l("This file can no longer be removed."))
    row.removed_at, row.removed_by_id = utcnow(), user.id
    kind = parents.parent(row.parent_type)
    if kind.changed is not None:
        kind.changed(kind.load(row.parent_id), user)
    for page_id in db.session.execute(db.select(UploadPage.id).filter_by(upload_id=row.id)).scalars():
        signals.searchable_changed.send("document", entity_id=page_id, operation="delete")
    db.session.flush()
    logger.info("%s removed upload %s from %s %s", user, row.id, row.parent_type, row.parent_id)


def removed_from(parent_kind: str, parent_id: int) -> list[Upload]:
    """The files once attached to this item and removed since, or withheld by the malware scan,
    oldest first (its history)."""
    return list(
        db.session.execute(
            db.select(Upload)
            .where(
                Upload.parent_type == parent_kind,
                Upload.parent_id == parent_id,
                db.or_(Upload.removed_at.is_not(None), Upload.scan_state == "infected"),
            )
            .order_by(db.func.coalesce(Upload.removed_at, Upload.attached_at), Upload.id)
        ).scalars()
    )


def _check_item_size(rows: list[Upload], parent_kind: str, parent_id: int) -> None:
    """All of one item's files together stay within UPLOAD_MAX_ITEM_BYTES."""
    attached = db.session.execute(
        db.select(db.func.coalesce(db.func.sum(Upload.size), 0)).where(
            Upload.parent_type == parent_kind, Upload.parent_id == parent_id, Upload.removed_at.is_(None)
        )
    ).scalar()
    limit = current_app.config["UPLOAD_MAX_ITEM_BYTES"]
    if attached + sum(row.size for row in rows) > limit:
        raise UploadRefused(
            _l(
                "The files of one post or contribution may not exceed %(size)d MB together.",
                size=limit // (1024 * 1024),
            )
        )


def attachments_of(parent_kind: str, parent_ids) -> dict[int, list[Upload]]:
    """The files attached to each of these items, in upload order (one query for a page of posts)."""
    found: dict[int, list[Upload]] = {}
    if not parent_ids:
        return found
    rows = db.session.execute(
        db.select(Upload)
        .where(
            Upload.parent_type == parent_kind,
            Upload.parent_id.in_(list(parent_ids)),
            Upload.removed_at.is_(None),
            Upload.scan_state != "infected",
        )
        .order_by(Upload.id)
    ).scalars()
    for row in rows:
        found.setdefault(row.parent_id, []).append(row)
    return found


def with_attachments(parent_kind: str, parent_ids) -> set[int]:
    """Which of these items have files attached now (for search's `has:attachment`)."""
    ids = list(parent_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        found |= set(
            db.session.execute(
                db.select(Upload.parent_id).where(
                    Upload.parent_type == parent_kind,
                    Upload.parent_id.in_(ids[start : start + 500]),
                    Upload.removed_at.is_(None),
                    Upload.scan_state != "infected",
                )
            ).scalars()
        )
    return found


def can_download(row: Upload, user) -> bool:
    """Unattached: only the uploader. Attached: whoever the item's own rule lets see its files.
    Nobody while the malware scan has not called it clean."""
    if row.removed_at is not None or row.is_quarantined:
        return False
    if row.parent_id is None:
        return user.is_authenticated and user.id == row.uploader_id
    kind = parents.parent(row.parent_type)
    item = kind.load(row.parent_id) if kind is not None else None
    return item is not None and kind.can_view(item, user)


def forget_orphans(older_than: timedelta) -> tuple[int, set[str]]:
    """Delete the rows of uploads never attached to anything (a reply abandoned after its files were
    sent); returns how many, and the blobs no remaining upload uses, to delete once this commits."""
    cutoff = utcnow() - older_than
    orphans = (
        db.session.execute(db.select(Upload).where(Upload.parent_id.is_(None), Upload.created_at < cutoff))
        .scalars()
        .all()
    )
    digests = {digest for row in orphans for digest in (row.digest, row.thumbnail_digest) if digest}
    for row in orphans:
        db.session.delete(row)
    db.session.flush()
    used = db.session.execute(
        db.select(Upload.digest, Upload.thumbnail_digest).where(
            db.or_(Upload.digest.in_(digests), Upload.thumbnail_digest.in_(digests))
        )
    ).all()
    still_used = {digest for row in used for digest in row if digest}
    logger.info("Forgetting %d unattached uploads", len(orphans))
    return len(orphans), digests - still_used


def delete_blobs(digests: set[str]) -> None:
    """After the commit that dropped their last rows: a blob goes only once nothing can name it."""
    for digest in digests:
        storage().delete(digest)


def extract_text(upload_id: int) -> None:
    """The `files.extract` job: read an attached document's text page by page (bounded, in a child
    process) and hand the pages to search. A file that cannot be read stays attached, unsearched."""
    row = db.session.get(Upload, upload_id)
    if row is None or row.removed_at is not None or row.parent_id is None or row.is_quarantined:
        return
    config = current_app.config
    try:
        with storage().local_copy(row.digest) as path:
            texts = extract_bounded(
                path, row.mimetype, config["UPLOAD_EXTRACT_MAX_PAGES"],
                config["UPLOAD_EXTRACT_SECONDS"], config["UPLOAD_EXTRACT_MEMORY_BYTES"],
            )  # fmt: skip
    except ExtractionFailed as failure:
        logger.warning("No text from upload %s: %s", upload_id, failure)
        return
    old = db.session.execute(db.select(UploadPage).filter_by(upload_id=row.id)).scalars().all()
    for page in old:
        signals.searchable_changed.send("document", entity_id=page.id, operation="delete")
        db.session.delete(page)
    db.session.flush()
    for number, text in enumerate(texts, start=1):
        if text:
            page = UploadPage(upload_id=row.id, page=number, text=text)
            db.session.add(page)
            db.session.flush()
            signals.searchable_changed.send("document", entity_id=page.id, operation="upsert")
    logger.info("Upload %s: %d pages of text", upload_id, len(texts))
