"""Who a rate limit counts, for the Flask-Limiter limits declared on routes."""

from flask import current_app, request
from limits import parse

from app.extensions import limiter


def client_address() -> str:
    """The client's address (the proxy's X-Forwarded-For when TRUSTED_PROXY_COUNT says whom to believe)."""
    return request.remote_addr or "unknown"


def hits_left(limit_value: str, key: str, scope: str) -> int:
    """How many hits a `shared_limit` of this value and scope has left for `key` in its current window."""
    item = parse(limit_value)
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX")
    identifiers = [prefix, key, scope] if prefix else [key, scope]
    return limiter.limiter.get_window_stats(item, *identifiers).remaining
