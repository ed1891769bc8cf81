"""Atom feeds: what a domain's feed route hands over becomes a valid Atom document (feedgen), with a
strong ETag and Last-Modified so feed readers ask again cheaply (304).

Infrastructure: it knows no domain. A domain's feed route loads what an anonymous reader may see
(feeds are fetched without cookies and shared: never the requester's own view, except a feed whose
secret address names its owner), builds `Entry`s and returns `atom(...)`. Pages point to their feed
with `<link rel="alternate">` through the `feed_links` block of `base.html`.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask import Response, request

from app.core.time import utcnow

MEDIA_TYPE = "application/atom+xml"
ENTRIES_MAX = 50


@dataclass
class Entry:
    id: str  # a stable URL (the item's permalink)
    title: str
    url: str
    published: datetime  # naive UTC, as stored
    updated: datetime | None
    author: str
    html: str  # sanitised HTML (already rendered and cleaned by the domain)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def atom(
    title: str, page_url: str, entries: list[Entry], language: str = "en", subtitle: str = "", private=False
) -> Response:
    """The feed of `entries` (newest first, at most ENTRIES_MAX) for the page at `page_url`,
    answered conditionally: unchanged since the reader's copy, 304 with no body. A `private` feed
    (a secret address) is never kept by shared caches."""
    entries = entries[:ENTRIES_MAX]
    updated = max((entry.updated or entry.published for entry in entries), default=None) or utcnow()
    feed = FeedGenerator()
    feed.id(request.url)
    feed.title(title)
    if subtitle:
        feed.subtitle(subtitle)
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.link(href=request.url, rel="self", type=MEDIA_TYPE)
    feed.language(language)
    feed.author({"name": "Majlis"})
    feed.generator("Majlis")
    feed.updated(_aware(updated))
    for entry in entries:
        item = feed.add_entry(order="append")
        item.id(entry.id)
        item.title(entry.title)
        item.link(href=entry.url, rel="alternate", type="text/html")
        item.published(_aware(entry.published))
        item.updated(_aware(entry.updated or entry.published))
        item.author({"name": entry.author})
        item.content(entry.html, type="html")
    response = Response(feed.atom_str(pretty=False), mimetype=MEDIA_TYPE)
    response.last_modified = _aware(updated)
    response.add_etag()
    response.headers["Cache-Control"] = "private, no-cache" if private else "public, max-age=60"
    return response.make_conditional(request)
