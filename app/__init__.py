"""Majlis: the application factory."""

import logging

from flask import Flask
from werkzeug.routing import IntegerConverter

from app.core import database, fragments, page_cache
from app.core.database import MAX_ID
from app.extensions import babel, csrf, db, limiter, login_manager, migrate, socketio
from config import Config


def create_app(config: Config | None = None) -> Flask:
    """Build the Flask app: config, extensions, then every package's `init_app`."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.from_object(config or Config())
    app.config["INSTANCE_DIR"].mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    _init_extensions(app)
    _register_blueprints(app)

    from app import cli, errors, web

    errors.register(app)
    web.register(app)
    cli.register(app)
    database.retry_requests_when_locked(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.i18n import select_locale, select_timezone

    db.init_app(app)
    fragments.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    page_cache.init_app(app)  # after the limiter's hook: a kept page is still counted against the limits

    from app import realtime  # noqa: F401  (handlers must be imported before socketio.init_app)

    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
    )
    from app.core import ratelimits

    ratelimits.init_app(app)  # last: ProxyFix wraps Socket.IO's middleware too


class BoundedIntegerConverter(IntegerConverter):
    """Ids beyond a 32-bit integer can name no row: answer 404 at routing, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _register_blueprints(app: Flask) -> None:
    """Each package's `init_app` registers its blueprint, CLI, registries and subscribers. Domains come
    in layer order (a higher domain fills a lower one's registries); realtime's publishers come last."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    from app import (
        api,
        auth,
        communities,
        consultation,
        discussions,
        drafts,
        files,
        i18n,
        jobs,
        mail,
        moderation,
        notifications,
        portability,
        realtime,
        search,
        supports,
        webhooks,
    )
    from app.core import audit  # noqa: F401  (the audit model belongs to every deployment)

    packages = (
        api,
        jobs,
        mail,
        webhooks,
        files,
        drafts,
        auth,
        supports,
        communities,
        discussions,
        notifications,
        search,
        consultation,
        moderation,
        i18n,
    )
    for package in packages + (portability, realtime):
        package.init_app(app)
