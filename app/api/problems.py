"""RFC 9457 problem documents: how every error under /api/v1 answers."""

from http import HTTPStatus

from flask import jsonify, request

MEDIA_TYPE = "application/problem+json"


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
    for location, fields in errors.items():
        if isinstance(fields, dict):
            for name, messages in fields.items():
                flat[str(name)] = [str(m) for m in (messages if isinstance(messages, list) else [messages])]
        else:
            flat[str(location)] = [str(m) for m in (fields if isinstance(fields, list) else [fields])]
    return flat
