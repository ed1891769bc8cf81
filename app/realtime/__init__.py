"""Live updates over Socket.IO: rooms chosen by the server, sequenced events, replay on reconnect."""

from app.realtime import handlers  # noqa: F401  (registers the Socket.IO event handlers)


def init_app(app) -> None:
    """Connect the live-event publishers and the access-change hooks (handlers are imported above)."""
    from app.realtime import access, events

    events.register(app)
    access.register(app)
