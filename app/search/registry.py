"""What can be searched: each domain registers a provider of documents for one type.

The search backend indexes `SearchDocument`s and returns ids; results are always re-checked against
the database through the provider's `visible()` before anything is shown (DESIGN.md §4, habit 7).
A provider signals changes with `app.core.signals.searchable_changed.send(type_name,
entity_id=..., operation="upsert" | "delete")` inside the transaction; the search domain turns that
into an outbox row.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass
class SearchDocument:
    type: str  # "post" | "thread" | "contribution"
    id: int
    title: str
    text: str  # plain text, Markdown stripped; snippets are cut from it
    language: str | None
    community_ids: list[int]  # contributions may belong to several action lines
    author_username: str
    created_at: datetime  # naive UTC
    url: str
    status: str | None = None  # contributions: their state
    thread_id: int | None = None
    extra: dict = field(default_factory=dict)


class DocumentProvider(Protocol):
    type_name: str
    # True when the index holds only documents that everyone who may read their communities may see
    # (removed and held ones are left out): facet counts then come from the engine. Otherwise (the
    # default) every hit of the type is checked with `visible()` before it is counted.
    readable_by_community: bool

    def documents(self, ids: list[int]) -> list[SearchDocument]:
        """Documents for these ids; ids that no longer exist or must not be indexed are omitted."""

    def all_ids(self) -> Iterable[int]:
        """Every id of this type that should be in the index (for a rebuild)."""

    def visible(self, user, ids: list[int]) -> set[int]:
        """The subset of ids that `user` may see right now (checked in the database)."""


_providers: dict[str, DocumentProvider] = {}


def register_provider(provider: DocumentProvider) -> None:
    _providers[provider.type_name] = provider


def provider(type_name: str) -> DocumentProvider | None:
    return _providers.get(type_name)


def providers() -> dict[str, DocumentProvider]:
    return dict(_providers)
