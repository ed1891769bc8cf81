"""Whole pages for visitors who are not signed in, kept until anything they show may have changed.

Most page views on an open consultation are anonymous (Discourse serves them from its "anonymous
cache" for the same reason). A page an endpoint registers as cacheable (`register_cacheable`) is
kept in this process's memory under a key naming the request (path and query, host, language, time
zone, the rest of the visitor's session, the minute for relative times) and the site's *content
generation*. Any commit that writes a row of a table not registered as private
(`register_private_tables`: jobs, mail, notifications…) moves the generation on, so the next view
renders afresh: what moderation takes down leaves every cached page at its commit. A page is
rendered with this visitor's CSRF token and kept with a slot in its place; every hit gets its own.

The generation is shared by every process of the site: the identity of a small file under
INSTANCE_DIR (replaced on each move, so its inode changes) in the embedded set-up, a Redis counter
when FRAGMENT_CACHE_URL is set (the scale-out set-up). `PAGE_CACHE_BYTES=0` turns the cache off.
"""

import logging
import os
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from itertools import chain
from pathlib import Path

from flask import Flask, current_app, g, has_app_context, request, session
from flask.globals import request_ctx
from flask_babel import get_locale, get_timezone
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import limiter

logger = logging.getLogger(__name__)

CSRF_SLOT = "\ue001majlis-csrf\ue001"
WROTE = "majlis_public_write"
SESSION_KEYS_IGNORED = {"csrf_token", "_permanent", "_fresh", "_id"}

_cacheable: set[str] = set()
_private_tables: set[str] = set()


def register_cacheable(*endpoints: str) -> None:
    """Pages (endpoints) that are the same for every anonymous visitor with the same language."""
    _cacheable.update(endpoints)


def register_private_tables(*names: str) -> None:
    """Tables whose writes change no page an anonymous visitor sees (queues, mail, notifications)."""
    _private_tables.update(names)


# -- the content generation -------------------------------------------------------------------------


class FileGeneration:
    """A file whose content is the generation; moving it on writes a new file (a fresh random value)
    and renames it into place, which no two processes can do to the same effect. (Its inode and
    modification time are not enough: a freed inode is handed out again at once, and two moves
    within one clock tick of the file system carry the same time.)"""

    def __init__(self, directory: Path):
        self.path = Path(directory) / "content-generation"

    def current(self) -> str:
        try:
            return self.path.read_text()
        except FileNotFoundError:
            self.move_on()
            return self.path.read_text()

    def move_on(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".generation-")
        with os.fdopen(handle, "w") as stream:
            stream.write(f"{time.time_ns()}-{secrets.token_hex(8)}")
        os.replace(temporary, self.path)


class RedisGeneration:
    """A counter in Redis; Redis away means no page is served from the cache (never a stale one)."""

    def __init__(self, url: str, key: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.key = key

    def current(self) -> str | None:
        try:
            return (self.client.get(self.key) or b"0").decode()
        except Exception:  # redis.RedisError and socket errors
            logger.warning("Page cache generation unreadable: rendering", exc_info=True)
            return None

    def move_on(self) -> None:
        try:
            self.client.incr(self.key)
        except Exception:
            logger.exception("Page cache generation not moved on")


# -- the pages ----------------------------------------------------------------------------------------


class PageStore:
    """A thread-safe LRU of page bodies, bounded by their total size, holding one generation's pages:
    the first look-up in a newer generation lets all the older ones go (no page of theirs is served
    again), so memory holds what may still be served, not what every write left behind."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.generation = None
        self._pages: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()

    def _enter(self, generation: str) -> None:
        if generation != self.generation:
            self._pages.clear()
            self.size, self.generation = 0, generation

    def get(self, key: tuple) -> str | None:
        """`key[0]` is the generation the page was rendered in."""
        with self._lock:
            self._enter(key[0])
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
            return body

    def put(self, key: tuple, body: str) -> None:
        if len(body) > self.max_bytes // 4:
            return
        with self._lock:
            if key[0] != self.generation or key in self._pages:
                return  # rendered in a generation already past: never to be served
            self._pages[key] = body
            self.size += len(body)
            while self.size > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.size = 0


class PageCache:
    def __init__(self, app: Flask):
        config = app.config
        if config.get("FRAGMENT_CACHE_URL"):
            prefix = config.get("FRAGMENT_CACHE_PREFIX", "majlis:fragment:")
            self.generation = RedisGeneration(config["FRAGMENT_CACHE_URL"], prefix + "content-generation")
        else:
            self.generation = FileGeneration(config["INSTANCE_DIR"])
        self.pages = PageStore(config.get("PAGE_CACHE_BYTES", 0))

    @property
    def enabled(self) -> bool:
        return self.pages.max_bytes > 0


def _cache() -> PageCache | None:
    cache = current_app.extensions.get("majlis_page_cache")
    return cache if cache is not None and cache.enabled else None


def _visitor_is_anonymous() -> bool:
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return "_user_id" not in session and remember not in request.cookies and "_flashes" not in session


def _key(generation: str) -> tuple:
    visitor = tuple(sorted((k, repr(v)) for k, v in session.items() if k not in SESSION_KEYS_IGNORED))
    return (
        generation, int(time.time() // 60), request.host_url, request.full_path,
        str(get_locale() or "en"), str(get_timezone()), visitor,
    )  # fmt: skip


def serve_cached():
    """before_request: a kept page for an anonymous GET of a cacheable endpoint, or None to render."""
    cache = _cache()
    if cache is None or request.method != "GET" or request.endpoint not in _cacheable:
        return None
    if not _visitor_is_anonymous():
        return None
    generation = cache.generation.current()
    if generation is None:
        return None
    key = _key(generation)
    body = cache.pages.get(key)
    if body is None:
        g.page_cache_key = key
        return None
    limiter.check()  # the endpoint's own limits count a kept page as they count a rendered one
    if CSRF_SLOT in body:
        body = body.replace(CSRF_SLOT, generate_csrf())
    response = current_app.response_class(body, mimetype="text/html")
    response.headers["X-Page-Cache"] = "hit"
    return response


def keep_rendered(response):
    """after_request: keep a page rendered for an anonymous visitor (no message flashed into it)."""
    key = g.pop("page_cache_key", None)
    cache = _cache()
    if (
        key is None
        or cache is None
        or response.status_code != 200
        or response.mimetype != "text/html"
        or response.direct_passthrough
        or request_ctx.flashes
        or "_user_id" in session
    ):
        return response
    body = response.get_data(as_text=True)
    token = g.get("csrf_token")
    cache.pages.put(key, body.replace(token, CSRF_SLOT) if token else body)
    response.headers["X-Page-Cache"] = "miss"
    return response


def do_not_keep() -> None:
    """This response is not for other visitors (a search that could not run, say)."""
    g.pop("page_cache_key", None)


def content_changed() -> None:
    """Something pages show changed outside the database (a search index rebuilt): render afresh."""
    cache = current_app.extensions.get("majlis_page_cache") if has_app_context() else None
    if cache is not None:
        cache.generation.move_on()


# -- moving the generation on -------------------------------------------------------------------------


def _is_public(table_name: str | None) -> bool:
    return table_name is not None and table_name not in _private_tables


@event.listens_for(Session, "after_flush")
def _note_flush(session, _flush_context):
    if session.info.get(WROTE):
        return
    for row in chain(session.new, session.dirty, session.deleted):
        if _is_public(getattr(row, "__tablename__", None)):
            session.info[WROTE] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state):
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if _is_public(getattr(table, "name", None)):
            state.session.info[WROTE] = True


@event.listens_for(Session, "after_commit")
def _move_on(session):
    if session.info.pop(WROTE, False) and has_app_context():
        cache = current_app.extensions.get("majlis_page_cache")
        if cache is not None:
            cache.generation.move_on()


@event.listens_for(Session, "after_soft_rollback")
def _forget(session, previous_transaction):
    if not previous_transaction.nested:
        session.info.pop(WROTE, None)


def init_app(app: Flask) -> None:
    app.extensions["majlis_page_cache"] = PageCache(app)
    app.before_request(serve_cached)
    app.after_request(keep_rendered)
