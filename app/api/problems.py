"""RFC 9457 problem documents: how every error under /api/v1 answers."""

from http import HTTPStatus

from flask import jsonify, request
from marshmallow import Schema, fields

MEDIA_TYPE = "application/problem+json"


class ProblemSchema(Schema):
    """An RFC 9457 problem document, as every error under /api/v1 answers."""

    type = fields.String(required=True, metadata={"description": "about:blank: the status says what kind"})
    title = fields.String(required=True, metadata={"description": "The status's phrase."})
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "What went wrong with this request."})
    instance = fields.String(required=True, metadata={"description": "The path asked for."})
    errors = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()),
        metadata={"description": "Messages by field, for a body or query that was not valid."},
    )  # fmt: skip


def problem(status: int, detail: str, errors: dict | None = None, headers: dict | None = None):
    """A problem response: `type` is about:blank (the status says it all), `title` the status's
    phrase, `detail` what went wrong for this request, `errors` the fields' messages (422)."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error",
        "status": status,
        "detail": str(detail),
        "instance": request.path,
    }
    if errors:
        body["errors"] = _flattened(errors)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = MEDIA_TYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def field_errors(error) -> dict | None:
    """The field messages webargs put on a 422 (`{"json": {"body": ["…"]}}`), if any."""
    data = getattr(error, "data", None) or {}
    return data.get("messages") or data.get("errors")


def _flattened(errors: dict) -> dict[str, list[str]]:
    """{"json": {"body": ["Missing."]}, "query": {"page": [...]}} → {"body": ["Missing."], "page": [...]}:
    a client names fields, not where webargs found them."""
    flat: dict[str, list[str]] = {}
    for location, found in errors.items():
        if isinstance(found, dict):
            for name, messages in found.items():
                flat[str(name)] = [str(m) for m in (messages if isinstance(messages, list) else [messages])]
        else:
            flat[str(location)] = [str(m) for m in (found if isinstance(found, list) else [found])]
    return flat
