"""Serve Majlis: `python run.py` (embedded default) or `flask --app run <command>`.

In the embedded default the schema is brought up to date and the communities seeded at start-up,
so pointing DATABASE_URL at a new SQLite file and starting is enough.
"""

import os

if os.environ.get("SOCKETIO_ASYNC_MODE") == "gevent":  # must patch before anything else is imported
    from gevent import monkey

    monkey.patch_all()

from app import create_app  # noqa: E402
from app.core.memory import limit_malloc_arenas  # noqa: E402
from app.extensions import socketio  # noqa: E402

limit_malloc_arenas()  # before the server's threads start (app/core/memory.py)
app = create_app()

if __name__ == "__main__":
    from app.core.schema import prepare_database

    if app.config["AUTO_MIGRATE"]:
        with app.app_context():
            prepare_database()
    if app.config["MAIL_INBOUND_PORT"] and app.config["MAIL_REPLY_DOMAIN"]:
        from app.mail import receiver

        receiver.start(app, app.config["MAIL_INBOUND_HOST"], app.config["MAIL_INBOUND_PORT"])
    socketio.run(
        app,
        host=app.config["HOST"],
        port=app.config["PORT"],
        debug=os.environ.get("FLASK_DEBUG") == "1",
        allow_unsafe_werkzeug=True,
        use_reloader=False,
    )
