"""Request-wide web concerns: template helpers and security headers."""

from flask import Flask, abort, current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.api import is_api_request, refuse_non_json_bodies
from app.core.languages import RTL_LANGUAGES
from app.core.text import safe_html
from app.i18n import relative_time, remembered_datetime

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# The search query parser turns control characters into spaces, so a pasted NUL still searches.
NUL_TOLERANT_ENDPOINTS = {"search.search"}

# What a web form sends; "" is a POST with no body (a bare button).
FORM_MIMETYPES = {"", "application/x-www-form-urlencoded", "multipart/form-data"}
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


def refuse_non_form_bodies():
    """Every write route takes a web form of text fields: a JSON (or other) body, or a file part,
    is answered 415 with what it takes, before a form could read numbers, lists or files as text."""
    if request.method not in BODY_METHODS or request.endpoint is None:
        return None
    from app.errors import render_error

    if is_api_request():  # the API takes JSON (app/api)
        return refuse_non_json_bodies()

    if request.endpoint in current_app.config.get("FILE_UPLOAD_ENDPOINTS", ()):
        return _allow_an_upload()

    if request.mimetype not in FORM_MIMETYPES:
        return render_error(
            415,
            _(
                "This page accepts only form submissions "
                "(application/x-www-form-urlencoded or multipart/form-data)."
            ),
        )
    if request.files:
        return render_error(415, _("This form does not accept files."))
    return None


def _allow_an_upload():
    """An upload route takes one multipart body up to UPLOAD_MAX_BYTES (plus the form's few fields);
    this runs before anything reads the body, so the larger limit applies."""
    from app.errors import render_error

    if request.mimetype != "multipart/form-data":
        return render_error(415, _("Send the file as multipart/form-data."))
    request.max_content_length = current_app.config["UPLOAD_MAX_BYTES"] + 64 * 1024
    request.max_form_memory_size = 64 * 1024
    return None


def register(app: Flask) -> None:
    # First of all before-request hooks, CSRF's included: a JSON body is told what is wrong with it.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_non_form_bodies)

    @app.before_request
    def _refuse_nul_bytes():
        """No text may hold a NUL byte (PostgreSQL text cannot store or even compare one): a path
        with one names no page (404); a query string or form with one is refused (400)."""
        if "\x00" in request.path:
            abort(404)
        if request.endpoint not in NUL_TOLERANT_ENDPOINTS and any("\x00" in v for v in request.args.values()):
            abort(400)
        if request.method == "POST" and any("\x00" in value for value in request.form.values()):
            abort(400)

    @app.context_processor
    def _template_globals():
        locale = str(get_locale() or "en")
        language = locale.split("_")[0]
        return {
            "page_lang": language,
            "page_dir": "rtl" if language in RTL_LANGUAGES else "ltr",
            "current_user": current_user,
        }

    app.jinja_env.filters["stored_html"] = safe_html
    app.jinja_env.filters["datetime"] = remembered_datetime
    app.jinja_env.filters["reltime"] = relative_time
    app.jinja_env.filters["isotime"] = lambda value: (
        value.isoformat(timespec="seconds") + "Z" if value else ""
    )

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "public, max-age=300")
        return response
