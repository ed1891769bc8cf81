"""Error pages: HTML for browsers, JSON for /api and clients that ask for it; rollback on 500."""

import logging

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.api import is_api_request
from app.api.problems import field_errors, problem
from app.extensions import db

logger = logging.getLogger(__name__)


def _messages():
    return {
        400: _("The request could not be understood."),
        401: _("Sign in, or send an access token."),
        409: _("That conflicts with the current state of what you changed."),
        422: _("Some of what you sent is not valid: see the fields' messages."),
        403: _("You do not have permission to do that."),
        404: _("There is nothing here. The address may be mistyped, or the page was removed."),
        405: _("That action is not allowed here."),
        413: _("What you sent is too large."),
        415: _("This kind of content is not accepted here."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. It has been logged."),
    }


def _wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def render_error(status: int, message: str | None = None, errors: dict | None = None):
    message = message or _messages().get(status, _messages()[400])
    if is_api_request():
        return problem(status, message, errors), status
    if _wants_json():
        return jsonify(error=message, status=status), status
    return render_template("errors/error.html", status=status, message=message), status


def _size(size: int) -> str:
    """A byte count as people read it: "1 MB", "64 KB"."""
    if size >= 1024 * 1024:
        return _("%(size)s MB", size=format_decimal(size / (1024 * 1024), format="#,##0.#"))
    return _("%(size)s KB", size=format_decimal(size / 1024, format="#,##0.#"))


def _too_large_message() -> str:
    """413: what the limit is (MAX_CONTENT_LENGTH), so the writer knows how much to cut."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if not limit:
        return _messages()[413]
    return _(
        "What you sent is larger than this site accepts (at most %(limit)s). Shorten it and try again.",
        limit=_size(limit),
    )


def _too_many_requests(error):
    """429 with what was limited and when to try again (Retry-After)."""
    limit = getattr(error, "limit", None)
    message = _messages()[429]
    retry_after = None
    if limit is not None:
        if limit.error_message:
            message = error.description
        else:
            message = _(
                "Too many requests: the limit here is %(limit)s. Please wait and try again.",
                limit=str(limit.limit),
            )
        retry_after = limit.limit.get_expiry()
    body, status = render_error(429, message)
    response = make_response(body, status)
    if retry_after:
        response.headers["Retry-After"] = str(int(retry_after))
    return response


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return render_error(
            400, _("Your form expired or came from elsewhere. Reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def _http_error(error):
        if error.code == 429:
            return _too_many_requests(error)
        if error.code == 413:
            return render_error(413, _too_large_message())
        description = getattr(error, "majlis_message", None)
        if is_api_request():
            description = description or (getattr(error, "data", None) or {}).get("message")
        return render_error(error.code or 500, description, field_errors(error))

    @app.errorhandler(OverflowError)
    def _id_out_of_range(error):
        """An id beyond what the database can store cannot name anything: 404, not 500."""
        db.session.rollback()
        return render_error(404)

    @app.errorhandler(Exception)
    def _unexpected(error):
        db.session.rollback()
        logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
