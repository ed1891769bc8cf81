"""The search backend interface: engines index documents and return ranked ids, nothing more.

What is shown is decided here, the same way for every engine: each hit is re-checked with its
provider's `visible(user, ids)` (the database is the source of truth), and pages are filled from
the visible hits in rank order.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
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
    before: datetime | None = None
    after: datetime | None = None
    in_title: bool = False
    sort: str = "relevance"  # or "newest"


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


class SearchBackend(ABC):
    """An engine: batches of documents in, ranked ids out."""

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
    def rebuild(self, batches, progress=None) -> int:
        """Build a fresh index from batches of documents and swap it in; returns the document count."""

    @abstractmethod
    def status(self) -> dict:
        """Document counts by type and the index size, for `flask search status`."""

    def search(self, query: ParsedQuery, filters: SearchFilters, user, page: int = 1) -> SearchPage:
        """One page of hits that `user` may see, with the total and facet counts."""
        page = max(1, min(page, MAX_PAGES))
        wanted = page * PER_PAGE
        limit = wanted + PER_PAGE
        while True:
            ranked = self.ranked(query, filters, limit)
            visible = visible_hits(user, ranked.hits)
            if len(visible) >= wanted or len(ranked.hits) >= ranked.total:
                break
            limit *= 2
        hidden = len(ranked.hits) - len(visible)
        total = max(len(visible), ranked.total - hidden)
        pages = max(1, min(MAX_PAGES, -(-total // PER_PAGE)))
        return SearchPage(
            hits=visible[(page - 1) * PER_PAGE : wanted],
            total=total,
            page=page,
            pages=pages,
            facets=self.facets(query, filters),
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
