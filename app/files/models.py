"""An uploaded file: its stored blob, what inspection found, and what it is attached to."""

from app.core.time import utcnow
from app.extensions import db


class Upload(db.Model):
    """A file someone uploaded: unattached until the post (or other item) it was uploaded for is
    saved, then served to whoever may see that item. The name is for display only; the stored type,
    decided from the content, says how it is served."""

    __tablename__ = "uploads"

    id = db.Column(db.Integer, primary_key=True)
    digest = db.Column(db.String(64), nullable=False)
    thumbnail_digest = db.Column(db.String(64), nullable=True)
    size = db.Column(db.Integer, nullable=False)
    mimetype = db.Column(db.String(100), nullable=False)
    kind = db.Column(db.String(16), nullable=False)  # "image" or "document"
    name = db.Column(db.String(200), nullable=False)
    pages = db.Column(db.Integer, nullable=True)
    width = db.Column(db.Integer, nullable=True)
    height = db.Column(db.Integer, nullable=True)
    uploader_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    parent_type = db.Column(db.String(16), nullable=True)
    parent_id = db.Column(db.Integer, nullable=True)
    attached_at = db.Column(db.DateTime, nullable=True)
    removed_at = db.Column(db.DateTime, nullable=True)
    removed_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    # With CLAMD_SOCKET set a file waits in quarantine ("pending") until the daemon calls it "clean";
    # an "infected" one is never served. Without a scanner every file is "clean" at once.
    scan_state = db.Column(db.String(16), nullable=False, default="clean", server_default="clean")
    scan_result = db.Column(db.String(200), nullable=True)  # what the scanner found
    language = db.Column(db.String(8), nullable=True)  # declared by the uploader; None: detected per page

    removed_by = db.relationship("User", foreign_keys=[removed_by_id])

    __table_args__ = (
        db.CheckConstraint("kind in ('image', 'document')", name="upload_kind"),
        db.Index("ix_uploads_parent", "parent_type", "parent_id"),
        db.Index("ix_uploads_uploader", "uploader_id", "created_at"),
    )

    @property
    def is_image(self) -> bool:
        return self.kind == "image"

    @property
    def is_quarantined(self) -> bool:
        """Not yet called clean by the malware scanner: listed with its item, served to nobody."""
        return self.scan_state != "clean"

    def __repr__(self):
        return f"<Upload {self.id} {self.mimetype} {self.name!r}>"


class UploadPage(db.Model):
    """The text of one page of an attached document (a DOCX or text file is one page), for search."""

    __tablename__ = "upload_pages"

    id = db.Column(db.Integer, primary_key=True)
    upload_id = db.Column(db.Integer, db.ForeignKey("uploads.id", ondelete="CASCADE"), nullable=False)
    page = db.Column(db.Integer, nullable=False)
    text = db.Column(db.Text, nullable=False)

    upload = db.relationship("Upload")

    __table_args__ = (db.UniqueConstraint("upload_id", "page"),)
