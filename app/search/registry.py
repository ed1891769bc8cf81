"""What can be searched: each domain registers a provider of documents for one type.

Search knows communities and people only through hooks their domains fill: the community scope
(`register_community_scope`: which communities a reader may not read, what `community:slug` covers,
the communities shown beside results and in the facets) and the author check (`register_author_check`,
for the "nobody is called …" message of `author:`).

The search backend indexes `SearchDocument`s and returns ids; results are always re-checked against
the database through the provider's `visible()` before anything is shown (DESIGN.md §4, habit 7).
A provider signals changes with `app.core.signals.searchable_changed.send(type_name,
entity_id=..., operation="upsert" | "delete")` inside the transaction; the search domain turns that
into an outbox row.
"""

from collections.abc import Callable, Iterable
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
    has: tuple[str, ...] = ()  # what `has:` finds it by: "attachment" when files are attached
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


class CommunityScope(Protocol):
    def hidden_ids(self, user) -> set[int]:
        """Restricted communities that `user` may not read (documents that belong to them alone are masked)."""

    def expand(self, slug: str, user) -> set[int] | None:
        """The ids of community `slug` and of its sub-communities; None unless `user` may read it."""

    def load(self, ids) -> dict:
        """{id: community} for these ids, to name and link them beside results and in the facets."""


class NoCommunities:
    """The scope until a domain registers one: nothing hidden, no `community:` filter matches."""

    def hidden_ids(self, user) -> set[int]:
        return set()

    def expand(self, slug: str, user) -> set[int] | None:
        return None

    def load(self, ids) -> dict:
        return {}


_hooks: dict = {"community_scope": NoCommunities(), "author_exists": lambda username: True}


def register_community_scope(scope: CommunityScope) -> None:
    _hooks["community_scope"] = scope


def community_scope() -> CommunityScope:
    return _hooks["community_scope"]


def register_author_check(exists: Callable[[str], bool]) -> None:
    """`exists(username)` says whether someone is called `username`."""
    _hooks["author_exists"] = exists


def author_exists(username: str) -> bool:
    return _hooks["author_exists"](username)
