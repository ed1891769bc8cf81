"""The JSON API under /api/v1: its OpenAPI document, authentication, errors and pagination.

Infrastructure: it knows no domain. Each domain writes its own endpoints with flask-smorest
(`api.Blueprint`, marshmallow schemas, the domain's services and `can_*` methods) and registers
them from its `init_app` with `api.register(app, blueprint)`; auth registers how a bearer token
becomes a member (`register_token_authenticator`). The document at /api/v1/openapi.json is
generated from those blueprints, and /api/docs shows it (Swagger UI, served from our origin).

Requests: a personal access token (`Authorization: Bearer …`) or the session cookie. A write by
cookie needs the CSRF token in `X-CSRFToken`, as the site's own scripts send it; a token carries
no ambient authority, so it needs none. A token's scopes limit what it may do
(`require_scope`). Bodies are JSON only (415 otherwise). Every error under /api/v1, also for an
unknown path, is an RFC 9457 problem (`application/problem+json`, `app/api/problems.py`).
"""

import http
from collections.abc import Callable
from datetime import UTC

from apispec import BasePlugin
from flask import Flask, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint  # noqa: F401  (domains write their endpoints with it)
from flask_smorest import abort as smorest_abort
from flask_wtf.csrf import CSRFError
from marshmallow import fields
from werkzeug.exceptions import RequestEntityTooLarge

from app.api.problems import MEDIA_TYPE, ProblemSchema, problem
from app.core.database import writing
from app.core.refusals import Refused
from app.extensions import csrf, db, login_manager

PREFIX = "/api/v1"
JSON_MIMETYPES = frozenset({"application/json"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_authenticator: list[Callable] = []


class Api(SmorestApi):
    """flask-smorest's Api without its app-wide error handler: the app's own (`app/errors.py`)
    answers every error, as a problem document under /api/v1 and as a page elsewhere."""

    def _register_error_handlers(self):
        return None

    def _register_responses(self):
        """Every error is documented as what it is: a problem document (application/problem+json)."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["content"] = {MEDIA_TYPE: {"schema": ProblemSchema}}
            self.spec.components.response(status.name, response, lazy=True)
        self.spec.components.response(
            "DEFAULT_ERROR",
            {
                "description": "A problem document (RFC 9457)",
                "content": {MEDIA_TYPE: {"schema": ProblemSchema}},
            },
            lazy=True,
        )


class PathExamples(BasePlugin):
    """An example for each path parameter a domain names (`register_path_example`), so that
    schemathesis's examples phase, and a reader of /api/docs, start from an object that exists."""

    def path_helper(self, path=None, operations=None, parameters=None, **kwargs):
        for parameter in parameters or ():
            if (
                isinstance(parameter, dict)
                and parameter.get("in") == "path"
                and parameter["name"] in _path_examples
            ):
                parameter["example"] = _path_examples[parameter["name"]]
        for operation in (operations or {}).values():
            for parameter in operation.get("parameters", ()):
                if (
                    isinstance(parameter, dict)
                    and parameter.get("in") == "path"
                    and parameter["name"] in _path_examples
                ):
                    parameter["example"] = _path_examples[parameter["name"]]


_path_examples: dict[str, object] = {}


def register_path_example(name: str, example) -> None:
    _path_examples[name] = example


def register_token_authenticator(authenticate: Callable, note_use: Callable) -> None:
    """`authenticate(secret)` returns a token (with `.user`, `.allows(scope)`) or None;
    `note_use(token)` records its use (it flushes; the API commits)."""
    _authenticator[:] = [(authenticate, note_use)]


def init_app(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Majlis API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = Api(
        app,
        spec_kwargs={
            "extra_plugins": [PathExamples()],
            "info": {
                "description": "Read and write what a member may, with a personal access token "
                "(Settings → API tokens) or the session cookie. Errors are RFC 9457 problem documents."
            },
        },
    )
    api.spec.components.security_scheme(
        "token", {"type": "http", "scheme": "bearer", "description": "A personal access token (mjl_…)."}
    )
    api.spec.options["security"] = [{"token": []}, {}]
    app.extensions["majlis_api"] = api
    from app.api import docs

    app.register_blueprint(docs.bp)
    app.before_request(_authenticate)
    app.after_request(_conditional)


def register(app: Flask, blueprint) -> None:
    """Serve a domain's API blueprint under /api/v1 and put it in the document."""
    csrf.exempt(blueprint)  # cookie writes are checked in `_authenticate`, tokens need no CSRF
    app.extensions["majlis_api"].register_blueprint(
        blueprint, url_prefix=PREFIX + (blueprint.url_prefix or "")
    )


def is_api_request() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def _authenticate():
    """Who is asking: the bearer token's member, or the session's. Refusals are problems."""
    if not is_api_request():
        return None
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _sep, secret = header.partition(" ")
        token = None
        if scheme.lower() == "bearer" and _authenticator:
            authenticate, note_use = _authenticator[0]
            token = authenticate(secret.strip())
        if token is None:
            return problem(
                401, _("The access token is missing, revoked or expired."),
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )  # fmt: skip
        g.api_token = token
        login_manager._update_request_context_with_user(token.user)
        with writing():
            if note_use(token):
                db.session.commit()
        return None
    if request.method in UNSAFE_METHODS and current_user.is_authenticated:
        try:
            csrf.protect()
        except CSRFError:
            return problem(403, _("A write with the session cookie needs the CSRF token in X-CSRFToken."))
    return None


def _conditional(response):
    """Reads carry a strong ETag of their body; a client that sends it back in If-None-Match gets
    304 with no body. Each answer is the reader's own (`Cache-Control: private`, `Vary`)."""
    if not is_api_request() or request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if response.direct_passthrough or not response.is_json:
        return response
    response.add_etag()
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Authorization", "Cookie"))
    return response.make_conditional(request)


def refuse_non_json_bodies():
    """API writes take JSON: anything else is answered 415 before a schema reads it (a body past
    the size limit is 413 first, whatever its type)."""
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    if request.method in UNSAFE_METHODS and request.content_length and request.mimetype not in JSON_MIMETYPES:
        return problem(415, _("Send the body as application/json."))
    if (
        request.method in UNSAFE_METHODS
        and request.content_length
        and _holds_nul(request.get_json(silent=True))
    ):
        # PostgreSQL text can neither store nor compare a NUL character
        return problem(422, _("Text may not contain the NUL character."))
    return None


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def require_read() -> None:
    """Reads are open to visitors (they get what a visitor may see); a token needs the read scope."""
    token = g.get("api_token")
    if token is not None and not token.allows("read"):
        smorest_abort(403, message=_("This token does not have the “%(scope)s” scope.", scope="read"))


def require_scope(scope: str) -> None:
    """403 unless the request may act in `scope`: a token must carry it; the session may all its
    member may (their own rights are still checked by each `can_*`). 401 for nobody."""
    if not current_user.is_authenticated:
        smorest_abort(401, message=_("Sign in or send an access token."))
    token = g.get("api_token")
    if token is not None and not token.allows(scope):
        smorest_abort(403, message=_("This token does not have the “%(scope)s” scope.", scope=scope))


class UTCDateTime(fields.DateTime):
    """A stored time (naive UTC) written with its offset, and a client's time read as UTC when it
    has none: programs never guess the zone."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo is not None else moment


def perform(action: Callable):
    """Run a service (`action()`), commit once and return what it returned; a refusal (a posting
    rule, a closed deadline…) rolls back and answers 422 with its message on the field it names."""
    try:
        result = action()
    except Refused as refusal:
        db.session.rollback()
        errors = refusal.field_errors() or {refusal.field or "body": refusal.message}
        smorest_abort(
            422,
            message=str(refusal.message or _("The request was refused.")),
            errors={"json": {name: [str(message)] for name, message in errors.items()}},
        )
    db.session.commit()
    return result
