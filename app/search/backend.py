"""The search backend interface: engines index documents and return ranked ids, nothing more.

What is shown is decided here, the same way for every engine: each hit is re-checked with its
provider's `visible(user, ids)` (the database is the source of truth), and pages are filled from
the visible hits in rank order. Facet counts and the total come from the same documents: engines
count the types whose providers declare `readable_by_community` (the index holds only what every
reader of the document's communities may see, and restricted communities are masked), and every
hit of the other types (contributions: drafts, private nominations) is checked one by one, so a
word found only in what the reader may not see shows no count anywhere.
"""

from abc import ABC, abstractmethod
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime

from app.search import registry
from app.search.query import ParsedQuery

PER_PAGE = 20
MAX_PAGES = 50
NO_COMMUNITY = 0  # indexed for documents that belong to no community


@dataclass
class SearchFilters:
    """Resolved filters: ids and lowercase usernames, ready for an engine."""

    types: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    community_ids: set[int] | None = None  # community: filter, sub-communities included
    hidden_community_ids: set[int] = field(default_factory=set)  # the reader may not read these
    statuses: list[str] = field(default_factory=list)
    thread_ids: list[int] = field(default_factory=list)
    has: list[str] = field(default_factory=list)  # "attachment": items with files attached
    before: datetime | None = None
    after: datetime | None = None
    in_title: bool = False
    sort: str = "relevance"  # or "newest"
    excluded_types: list[str] = field(default_factory=list)  # left out (their hits are checked one by one)


@dataclass(frozen=True)
class Hit:
    type: str
    id: int


@dataclass
class Ranked:
    """One window of ranked hits from an engine."""

    hits: list[Hit]
    total: int


@dataclass
class SearchPage:
    hits: list[Hit]
    total: int
    page: int
    pages: int
    facets: dict = field(default_factory=dict)  # {"type": {name: n}, "community": {id: n}}


class IndexUnavailable(Exception):
    """The index is missing, unreadable or from another schema version: it must be rebuilt."""


class SearchBackend(ABC):
    """An engine: batches of documents in, ranked ids out.

    Its health is part of the interface, so that the indexer, the search page and `flask search status`
    depend on no engine: `is_healthy()` says whether the index can be used as it is, reads and writes
    raise `IndexUnavailable` when it cannot (the indexer then rebuilds it), and `status()` describes it.
    """

    @abstractmethod
    def index(self, documents: list[registry.SearchDocument], deletions: list[Hit] = ()) -> None:
        """Add or replace `documents` and remove `deletions`, committed together."""

    def delete(self, hits: list[Hit]) -> None:
        """Remove documents from the index."""
        self.index([], hits)

    @abstractmethod
    def ranked(self, query: ParsedQuery, filters: SearchFilters, limit: int) -> Ranked:
        """The first `limit` hits in order, and how many there are in all."""

    @abstractmethod
    def facets(self, query: ParsedQuery, filters: SearchFilters) -> dict:
        """Counts by type and by community id of every hit."""

    @abstractmethod
    def matches(self, query: ParsedQuery, filters: SearchFilters) -> list[tuple[Hit, list[int]]]:
        """Every hit, in any order, with its community ids (NO_COMMUNITY left out)."""

    @abstractmethod
    def rebuild(self, batches, progress=None) -> int:
        """Build a fresh index from batches of documents and swap it in; returns the document count."""

    def create_empty(self) -> None:
        """An empty index (a new site, or tests)."""
        self.rebuild([])

    @abstractmethod
    def is_healthy(self) -> bool:
        """The index exists, can be read and was built by this schema version (else: rebuild it)."""

    @abstractmethod
    def status(self) -> dict:
        """For `flask search status`: `available`, document counts by type, `size_bytes` and `path`."""

    def one_search(self):
        """A context around the index reads of one `search` (it ranks, counts facets and lists the
        matches of one query, with different filters): an engine may share work between them."""
        return nullcontext()

    def search(self, query: ParsedQuery, filters: SearchFilters, user, page: int = 1) -> SearchPage:
        """One page of hits that `user` may see, with the total and facet counts of what they may see."""
        with self.one_search():
            return self._search(query, filters, user, page)

    def _search(self, query: ParsedQuery, filters: SearchFilters, user, page: int) -> SearchPage:
        page = max(1, min(page, MAX_PAGES))
        wanted = page * PER_PAGE
        limit = wanted + PER_PAGE
        while True:
            ranked = self.ranked(query, filters, limit)
            visible = visible_hits(user, ranked.hits)
            if len(visible) >= wanted or len(ranked.hits) >= ranked.total:
                break
            limit *= 2
        facets = self.visible_facets(query, filters, user)
        if len(ranked.hits) >= ranked.total:
            total = len(visible)
        else:  # the facets' count, less the hits of the window that the index still held but may not be shown
            stale = {hit for hit in ranked.hits if hit.type not in checked_types()} - set(visible)
            total = max(len(visible), sum(facets["type"].values()) - len(stale))
        pages = max(1, min(MAX_PAGES, -(-total // PER_PAGE)))
        return SearchPage(
            hits=visible[(page - 1) * PER_PAGE : wanted],
            total=total,
            page=page,
            pages=pages,
            facets=facets,
        )

    def visible_facets(self, query: ParsedQuery, filters: SearchFilters, user) -> dict:
        """Counts by type and community of the hits `user` may see (see the module's docstring)."""
        checked = [name for name in checked_types() if not filters.types or name in filters.types]
        facets = self.facets(query, replace(filters, excluded_types=checked))
        types, communities = dict(facets["type"]), dict(facets["community"])
        for type_name in checked:
            found = self.matches(query, replace(filters, types=[type_name]))
            allowed = set(visible_hits(user, [hit for hit, _ in found]))
            for hit, community_ids in found:
                if hit in allowed:
                    types[type_name] = types.get(type_name, 0) + 1
                    for cid in community_ids:
                        communities[cid] = communities.get(cid, 0) + 1
        return {"type": types, "community": communities}


def checked_types() -> list[str]:
    """Types whose hits are checked one by one for facet counts (their index holds private documents)."""
    return sorted(
        name
        for name, provider in registry.providers().items()
        if not getattr(provider, "readable_by_community", False)
    )


def visible_hits(user, hits: list[Hit]) -> list[Hit]:
    """The hits `user` may see, in the same order, checked by each type's provider."""
    by_type: dict[str, list[int]] = {}
    for hit in hits:
        by_type.setdefault(hit.type, []).append(hit.id)
    allowed: set[Hit] = set()
    for type_name, ids in by_type.items():
        provider = registry.provider(type_name)
        if provider is None:
            continue
        allowed |= {Hit(type_name, entity_id) for entity_id in provider.visible(user, ids)}
    return [hit for hit in hits if hit in allowed]
