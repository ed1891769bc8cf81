"""Majlis: the application factory."""

import logging

from flask import Flask
from werkzeug.routing import IntegerConverter

from app.core import database
from app.core.database import MAX_ID
from app.extensions import babel, csrf, db, limiter, login_manager, migrate, socketio
from config import Config


def create_app(config: Config | None = None) -> Flask:
    """Build the Flask app: config, extensions, blueprints, side-effect handlers."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.from_object(config or Config())
    app.config["INSTANCE_DIR"].mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    _init_extensions(app)
    _register_blueprints(app)
    _register_side_effects(app)

    from app import cli, errors, web

    errors.register(app)
    web.register(app)
    cli.register(app)
    database.retry_requests_when_locked(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)

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
    app.url_map.converters["int"] = BoundedIntegerConverter
    from app.auth.routes import bp as auth_bp
    from app.communities.routes import bp as communities_bp
    from app.discussions.routes import bp as discussions_bp

    for blueprint in (auth_bp, communities_bp, discussions_bp):
        app.register_blueprint(blueprint)

    from app import consultation, i18n, moderation, notifications, portability, search

    for domain in (notifications, search, consultation, moderation, i18n, portability):
        domain.init_app(app)


def _register_side_effects(app: Flask) -> None:
    from app.communities import live as communities_live
    from app.core import audit  # noqa: F401  (the audit model belongs to every deployment)
    from app.discussions import live as discussions_live
    from app.notifications import models  # noqa: F401
    from app.realtime import access, events

    events.register(app)
    access.register(app)
    communities_live.register(app)  # the community room kind
    discussions_live.register(app)  # the thread room kind, post and thread events
