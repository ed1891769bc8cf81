"""Live updates over Socket.IO: rooms chosen by the server, sequenced events, replay on reconnect."""

from app.realtime import handlers  # noqa: F401  (registers the Socket.IO event handlers)
