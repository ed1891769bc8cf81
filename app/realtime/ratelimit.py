"""Socket event limits per person, across reconnects and processes.

The per-connection token bucket (handlers.py) dies with the connection, so a client that reconnects
starts afresh. This limit is kept per signed-in user (per address for anonymous clients, as the HTTP
limiter keys them) in the HTTP limiter's store (`RATELIMIT_STORAGE_URI`): process memory in the
embedded default, Redis in scale-out. When that store is process memory but the instances share a
Redis message queue, the queue's Redis is used, since memory would hold for one process only.
Like the HTTP abuse limits, it applies while `RATELIMIT_ENABLED` is on.
"""

from flask import current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from app.core.ratelimits import from_trusted_network

_EXTENSION = "majlis_socket_limiter"


def _storage_uri(config) -> str:
    uri = config.get("RATELIMIT_STORAGE_URI") or "memory://"
    queue = config.get("SOCKETIO_MESSAGE_QUEUE") or ""
    if uri.startswith("memory://") and queue.startswith(("redis://", "rediss://")):
        return queue
    return uri


def _limiter(app) -> MovingWindowRateLimiter:
    """The app's limiter, built on first use (the store may be a network service)."""
    limiter = app.extensions.get(_EXTENSION)
    if limiter is None:
        limiter = MovingWindowRateLimiter(storage_from_string(_storage_uri(app.config)))
        app.extensions[_EXTENSION] = limiter
    return limiter


def allow(user, address: str | None) -> bool:
    """Count one socket event for this person; False once they are over their limit."""
    app = current_app._get_current_object()
    if not app.config.get("RATELIMIT_ENABLED", True):
        return True
    if not user.is_authenticated and from_trusted_network():
        return True  # a meeting venue's NAT (RATELIMIT_TRUSTED_NETWORKS): its readers share no budget
    if user.is_authenticated:
        limit, who = app.config["RATELIMIT_SOCKET_EVENTS"], f"user:{user.id}"
    else:
        limit, who = app.config["RATELIMIT_SOCKET_EVENTS_ANONYMOUS"], f"address:{address or 'unknown'}"
    # The channel names the site: several sites (or test clusters) may share one Redis.
    return _limiter(app).hit(parse(limit), "socket-events", app.config.get("SOCKETIO_CHANNEL", ""), who)
