"""What files can be attached to: each domain registers its kinds of item (discussions: "post"),
with how to load one and who may see its files, so the file route checks the item's own rule every
time (a hidden post's files are hidden with it)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Parent:
    kind: str
    load: Callable  # load(item_id) -> item or None
    can_view: Callable  # can_view(item, user) -> bool
    allowed_types: Callable  # allowed_types() -> set of MIME types accepted for this kind of item
    can_edit: Callable  # can_edit(item, user) -> bool: may remove the item's files now
    # describe(item) -> {"community_ids", "title", "url", "author_username", "language"}: for search results
    describe: Callable
    # changed(item, user): a file was removed from the item, so its domain can record the change
    changed: Callable | None = None


_parents: dict[str, Parent] = {}


def register(
    kind: str,
    load: Callable,
    can_view: Callable,
    allowed_types: Callable,
    can_edit: Callable,
    describe: Callable,
    changed: Callable | None = None,
) -> None:
    if len(kind) > 16:
        raise ValueError(f"parent kind too long: {kind!r}")
    _parents[kind] = Parent(kind, load, can_view, allowed_types, can_edit, describe, changed)


def parent(kind: str) -> Parent | None:
    return _parents.get(kind)
