"""Searching: parse, resolve filters for the reader, ask the backend, load what may be shown."""

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, time
from html import unescape

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.search import registry
from app.search.backend import PER_PAGE, SearchFilters, SearchPage
from app.search.query import ParsedQuery, QueryFilters, has_positive, parse
from app.search.snippets import Highlighter

logger = logging.getLogger(__name__)

SORTS = ("relevance", "newest")
_FILTER_TOKEN_RE = r'(?<!\S)-?{key}:(?:"[^"]*"?|\S*)'


@dataclass
class Result:
    """One hit as shown: its document, highlighted title and snippet, and its communities."""

    document: registry.SearchDocument
    title: Markup
    snippet: Markup
    communities: list


@dataclass
class SearchOutcome:
    query: str
    sort: str
    results: list[Result] = field(default_factory=list)
    page: SearchPage | None = None
    messages: list = field(default_factory=list)
    unavailable: bool = False
    facet_communities: dict = field(default_factory=dict)  # id -> community

    @property
    def searched(self) -> bool:
        return self.page is not None


def search_state():
    return current_app.extensions["majlis_search"]


def run_search(user, text: str, page: int = 1, sort: str = "relevance") -> SearchOutcome:
    """Search for `user`: one page of results they may see, with facets and messages."""
    sort = sort if sort in SORTS else "relevance"
    parsed = parse(text)
    outcome = SearchOutcome(query=text or "", sort=sort, messages=list(parsed.messages))
    if parsed.is_empty:
        return outcome
    if not has_positive(parsed.root) and parsed.filters.is_empty():
        outcome.messages.append(_l("Add at least one word to look for, not only words to exclude."))
        return outcome
    filters = resolve_filters(parsed.filters, user, outcome.messages)
    filters.sort = sort
    try:
        outcome.page = search_state().backend.search(parsed, filters, user, page)
    except Exception:
        logger.exception("Search failed for %r", text)
        _recover_index()
        outcome.unavailable = True
        return outcome
    outcome.results = load_results(outcome.page, parsed)
    outcome.facet_communities = _communities(outcome.page.facets.get("community", {}).keys())
    return outcome


def _recover_index() -> None:
    """A search failed: if the index is damaged, ask the indexer to rebuild it (never here)."""
    state = search_state()
    if not state.backend.is_healthy():
        logger.warning("Search index unreadable: rebuild requested")
        state.indexer.request_rebuild()


def resolve_filters(typed: QueryFilters, user, messages: list) -> SearchFilters:
    """Turn typed filters into ids for `user` (unknown or unreadable communities match nothing)."""
    filters = SearchFilters(
        types=typed.types,
        authors=typed.authors,
        statuses=typed.statuses,
        thread_ids=typed.threads,
        has=typed.has,
        in_title=typed.in_title,
        before=datetime.combine(typed.before, time.min) if typed.before else None,
        after=datetime.combine(typed.after, time.min) if typed.after else None,
        hidden_community_ids=registry.community_scope().hidden_ids(user),
    )
    if typed.communities:
        filters.community_ids = _community_scope(typed.communities, user, messages)
    for username in typed.authors:
        if not registry.author_exists(username):
            messages.append(_l("Nobody is called “%(name)s”.", name=username))
    return filters


def _community_scope(slugs: list[str], user, messages: list) -> set[int]:
    """The communities named (each with its sub-communities) that `user` may read."""
    scope: set[int] = set()
    for slug in slugs:
        ids = registry.community_scope().expand(slug, user)
        if ids is None:
            messages.append(_l("There is no community “%(slug)s”.", slug=slug))
            continue
        scope |= ids
    return scope


def _communities(ids) -> dict:
    return registry.community_scope().load([cid for cid in ids if cid])


def plain(text: str) -> str:
    """Document text without HTML entities (`plain_text()` escapes them; we escape once, on output)."""
    return unescape(text or "")


def load_results(page: SearchPage, parsed: ParsedQuery) -> list[Result]:
    """Documents for the page's hits, in hit order, with highlighted title and snippet."""
    documents = {}
    for type_name in {hit.type for hit in page.hits}:
        provider = registry.provider(type_name)
        ids = [hit.id for hit in page.hits if hit.type == type_name]
        for doc in provider.documents(ids) if provider else []:
            documents[(type_name, doc.id)] = doc
    communities = _communities({cid for doc in documents.values() for cid in doc.community_ids})
    highlighter = Highlighter(parsed.root)
    results = []
    for hit in page.hits:
        doc = documents.get((hit.type, hit.id))
        if doc is None:
            continue
        title = plain(doc.title or doc.extra.get("thread_title", ""))
        results.append(
            Result(
                document=doc,
                title=highlighter.highlight(title, doc.language),
                snippet=highlighter.snippet(plain(doc.text), doc.language),
                communities=[communities[cid] for cid in doc.community_ids if cid in communities],
            )
        )
    return results


def refine(query: str, key: str, value: str) -> str:
    """The query with its `key:` filter replaced by `key:value` (for facet links)."""
    without = re.sub(_FILTER_TOKEN_RE.format(key=re.escape(key)), "", query or "", flags=re.IGNORECASE)
    return " ".join([*without.split(), f"{key}:{value}"])


def without_filter(query: str, key: str) -> str:
    """The query with its `key:` filters removed."""
    return " ".join(
        re.sub(_FILTER_TOKEN_RE.format(key=re.escape(key)), "", query or "", flags=re.IGNORECASE).split()
    )


def page_numbers(page: SearchPage) -> range:
    """Page links around the current page."""
    first = max(1, page.page - 3)
    return range(first, min(page.pages, first + 6) + 1)


__all__ = ["PER_PAGE", "run_search", "refine", "without_filter", "SearchOutcome"]
