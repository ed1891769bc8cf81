"""One app for the whole session (per xdist worker), handed to each test as if it were new.

Building an app costs more than most tests: every URL rule's builder and every template is compiled
again for each new app. So the session builds one, and before each test puts back what a test may
change: the config, `app.extensions`, the state that init_app leaves on the module-level extension
objects (the limiter, Socket.IO, flask-login), the rate-limit counters, the search index (a fresh one
in the test's own directory), a job runner of its own and the database (see tests/support/database.py).

A test that must build its own app (other settings at start, a live server) calls `create_app`
itself, as before; the next test gets the shared app back in its session state.
"""

import copy
from pathlib import Path

from flask import Flask

from app.core.page_cache import PageCache
from app.extensions import db, limiter, login_manager, socketio
from app.jobs.queue import JobRunner
from app.search import SearchState, make_backend
from app.search.indexer import Indexer

_MODULE_LEVEL_EXTENSIONS = (limiter, socketio, login_manager)


def _copied(value):
    try:
        return copy.deepcopy(value)
    except (TypeError, copy.Error):
        return value


class SharedApp:
    """The session's app and what it looked like just after `create_app`."""

    def __init__(self, app: Flask):
        self.app = app
        self.config = {name: _copied(value) for name, value in app.config.items()}
        self.extensions = dict(app.extensions)
        self.extension_state = {obj: dict(vars(obj)) for obj in _MODULE_LEVEL_EXTENSIONS}

    def fresh(self, directory: Path) -> Flask:
        """The app as `create_app` left it, with `directory` as its instance and index directory."""
        app = self.app
        app.config.clear()
        app.config.update({name: _copied(value) for name, value in self.config.items()})
        app.config.update(INSTANCE_DIR=directory, SEARCH_INDEX_DIR=str(directory / "search_index"))
        app.extensions.clear()
        app.extensions.update(self.extensions)
        for obj, state in self.extension_state.items():
            vars(obj).clear()
            vars(obj).update(state)
        if limiter.enabled:
            with app.app_context():
                limiter.reset()
        backend = make_backend(app)
        mode = app.config.get("SEARCH_INDEXER", "background")
        app.extensions["majlis_search"] = SearchState(backend=backend, indexer=Indexer(app, backend, mode))
        app.extensions["majlis_jobs"] = JobRunner(app, app.config["JOBS_RUNNER"])
        app.extensions["fragments"].clear()  # ids repeat from test to test
        app.extensions["majlis_page_cache"] = PageCache(app)
        return app

    def finish(self) -> None:
        """After a test: no session or connection left open on the shared engine."""
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
