"""The "document" search provider: one search document per page of an attached file, so a result
names the file and the page a word is on. Every hit is checked with the file route's own rule."""

from flask import url_for

from app.core.languages import guess_language
from app.extensions import db
from app.files import parents
from app.files.models import Upload, UploadPage
from app.files.services import can_download
from app.search.registry import SearchDocument, register_provider


def _pages(ids) -> list[UploadPage]:
    ids = [int(i) for i in ids]
    rows = []
    for start in range(0, len(ids), 500):
        rows += (
            db.session.execute(db.select(UploadPage).where(UploadPage.id.in_(ids[start : start + 500])))
            .scalars()
            .all()
        )
    return rows


def document_for(page: UploadPage, described: dict) -> SearchDocument:
    upload = page.upload
    return SearchDocument(
        type="document", id=page.id, title=upload.name, text=page.text,
        language=upload.language or guess_language(page.text, described.get("language")), community_ids=described["community_ids"],
        author_username=described["author_username"], created_at=upload.created_at,
        url=url_for("files.download", upload_id=upload.id, name=upload.name) + f"#page={page.page}",
        extra={"page": page.page, "file": upload.name, "in_title": described["title"], "in_url": described["url"]},
    )  # fmt: skip


class DocumentProvider:
    type_name = "document"

    def documents(self, ids: list[int]) -> list[SearchDocument]:
        found = []
        for page in _pages(ids):
            upload = page.upload
            kind = parents.parent(upload.parent_type) if upload.parent_id else None
            item = kind.load(upload.parent_id) if kind is not None else None
            if item is None or upload.removed_at is not None:
                continue
            found.append(document_for(page, kind.describe(item)))
        return found

    def all_ids(self):
        return (
            db.session.execute(
                db.select(UploadPage.id)
                .join(Upload, Upload.id == UploadPage.upload_id)
                .where(Upload.parent_id.is_not(None), Upload.removed_at.is_(None))
                .order_by(UploadPage.id)
            )
            .scalars()
            .all()
        )

    def visible(self, user, ids: list[int]) -> set[int]:
        """Whoever may download the file: the rule of the item it is attached to, asked now."""
        return {page.id for page in _pages(ids) if can_download(page.upload, user)}


def register() -> None:
    register_provider(DocumentProvider())
