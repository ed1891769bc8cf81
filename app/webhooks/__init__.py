"""Signed webhooks: administrators register endpoints for events; each event is a delivery row
written in the change's transaction and sent after the commit by the jobs mechanism
(`app/webhooks/services.py`). Infrastructure: domains declare their events and emit them."""

from app.webhooks.services import emit, register_event

__all__ = ["emit", "register_event", "init_app"]


def init_app(app):
    from app.core import page_cache
    from app.webhooks import models, routes, services  # noqa: F401  (the tables, the admin pages)

    services.register(app)
    app.register_blueprint(routes.bp)
    page_cache.register_private_tables("webhook_endpoints", "webhook_deliveries")
