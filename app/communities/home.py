"""The home page's sections: higher domains say what is happening, communities only renders them.

`register_section("running", "consultation/_home_running.html", load, position=10)` adds a section whose
template receives the dict `load(viewer)` returns (nothing is shown when it returns None);
`register_member_counts(load)` gives the community list its per-community counts for a signed-in
member (`load(viewer)` -> {community_id: count}; discussions: threads with something new).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeSection:
    name: str
    template: str
    load: Callable
    position: int


_sections: dict[str, HomeSection] = {}
_member_counts: list[Callable] = []


def register_section(name: str, template: str, load: Callable, position: int = 50) -> None:
    _sections[name] = HomeSection(name, template, load, position)


def register_member_counts(load: Callable) -> None:
    _member_counts[:] = [load]


def sections_for(viewer) -> list[tuple[HomeSection, dict]]:
    """The sections with something to show `viewer`, in their order."""
    found = []
    for section in sorted(_sections.values(), key=lambda section: section.position):
        context = section.load(viewer)
        if context is not None:
            found.append((section, context))
    return found


def member_counts(viewer) -> dict[int, int]:
    if not viewer.is_authenticated or not _member_counts:
        return {}
    return _member_counts[0](viewer)
