"""Uploading a file (JSON, for the uploader in the page) and serving one, checked every time."""

from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.refusals import Refused
from app.core.urls import safe_next
from app.extensions import db
from app.files import services
from app.files.models import Upload

bp = Blueprint("files", __name__)

# A stored file is never rendered as a page: no scripts, no plugins, no styles, in a sandbox of its own.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'none'; sandbox"


def describe(row: Upload) -> dict:
    return {
        "id": row.id, "name": row.name, "size": row.size, "mimetype": row.mimetype, "kind": row.kind,
        "pages": row.pages, "url": url_for("files.download", upload_id=row.id, name=row.name),
        "thumbnail": url_for("files.thumbnail", upload_id=row.id) if row.thumbnail_digest else None,
        "language": row.language, "scan": row.scan_state,
    }  # fmt: skip


@bp.route("/files", methods=["POST"])
@login_required
def upload():
    """Upload one file (`file`) for an item of kind `for` (e.g. "post"), its text in `language` if
    declared; answers its description as JSON (201), or the reason it was refused (400, 413)."""
    sent = request.files.get("file")
    if sent is None:
        return jsonify(error=str(_("Choose a file."))), 400
    language = request.form.get("language") or None
    if language is not None and language not in current_app.config["LANGUAGES"]:
        return jsonify(error=str(_("Choose one of the languages offered."))), 400
    try:
        row = services.upload(
            current_user, sent.read(), sent.filename or "", request.form.get("for", ""), language
        )
    except Refused as refusal:
        db.session.rollback()
        return jsonify(error=str(refusal)), 400
    db.session.commit()
    if row.scan_state == "infected":  # scanned at once (the scan job ran on the commit)
        return jsonify(
            error=str(_("The malware scan found %(found)s in this file.", found=row.scan_result))
        ), 400
    return jsonify(describe(row)), 201


def _loaded(upload_id: int) -> Upload:
    row = db.session.get(Upload, upload_id)
    if row is None or not services.can_download(row, current_user):
        abort(404)
    return row


def _served(data: bytes, mimetype: str, name: str, inline: bool):
    response = current_app.response_class(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        "inline" if inline else "attachment"
    ) + f"; filename*=UTF-8''{_quoted(name)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _quoted(name: str) -> str:
    return quote(name, safe="")


@bp.route("/files/<int:upload_id>/<path:name>")
def download(upload_id, name):
    """A file, to whoever may see the item it is attached to: images shown, everything else downloaded."""
    row = _loaded(upload_id)
    return _served(services.storage().read(row.digest), row.mimetype, row.name, inline=row.is_image)


@bp.route("/files/<int:upload_id>/thumbnail")
def thumbnail(upload_id):
    """An image's thumbnail, under the same rule as the image."""
    row = _loaded(upload_id)
    if row.thumbnail_digest is None:
        abort(404)
    return _served(services.storage().read(row.thumbnail_digest), row.mimetype, row.name, inline=True)


@bp.route("/files/<int:upload_id>/remove", methods=["POST"])
@login_required
def remove(upload_id):
    """Remove a file from the post or contribution it is attached to (its author, while it is editable)."""
    row = db.session.get(Upload, upload_id)
    if row is None:
        abort(404)
    if not services.can_remove(row, current_user):
        abort(403 if services.can_download(row, current_user) else 404)
    services.remove(row, current_user)
    db.session.commit()
    flash(_("“%(name)s” is removed.", name=row.name), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("communities.index"))
