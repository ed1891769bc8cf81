"""Full-text search: providers, outbox indexer, backend, pages and CLI (DESIGN.md §2, §4)."""

from dataclasses import dataclass

from app.core import page_cache
from app.search.backend import SearchBackend


@dataclass
class SearchState:
    """What one app holds for search: its backend and its single indexer."""

    backend: SearchBackend
    indexer: object


def make_backend(app) -> SearchBackend:
    """The configured engine: Whoosh (embedded default) or PostgreSQL (SEARCH_BACKEND=postgres)."""
    kind = app.config.get("SEARCH_BACKEND", "whoosh")
    if kind == "postgres":
        from app.search.engines.postgres import PostgresBackend

        return PostgresBackend(app)
    if kind != "whoosh":
        raise RuntimeError(f"Unknown SEARCH_BACKEND {kind!r}")
    from app.search.engines.whoosh.backend import WhooshBackend

    return WhooshBackend(app.config["SEARCH_INDEX_DIR"])


def init_app(app):
    """Register the search blueprint, CLI and indexing hooks."""
    from app.search import models  # noqa: F401  (the outbox table)
    from app.search.cli import search_cli
    from app.search.indexer import Indexer, connect_signals
    from app.search.routes import bp

    backend = make_backend(app)
    mode = app.config.get("SEARCH_INDEXER", "background")
    app.extensions["majlis_search"] = SearchState(backend=backend, indexer=Indexer(app, backend, mode))
    connect_signals()
    app.register_blueprint(bp)
    from app.search import api

    api.register(app)  # search in the JSON API
    page_cache.register_cacheable("search.search", "search.help_page")
    app.cli.add_command(search_cli)
    if mode == "background":
        app.before_request(_start_background_indexer)


def _start_background_indexer():
    from flask import current_app

    current_app.extensions["majlis_search"].indexer.start_background()
