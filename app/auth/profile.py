"""The profile's sections: higher domains register what a member did there, auth only renders them.

`register_section("threads", "discussions/_profile_threads.html", load)` adds a section whose template
receives `items = load(user, viewer)`; `load` returns only what `viewer` may read.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProfileSection:
    name: str
    template: str
    load: Callable


_sections: dict[str, ProfileSection] = {}


def register_section(name: str, template: str, load: Callable) -> None:
    """Add (or replace, on a second `create_app`) the section `name` on every profile."""
    _sections[name] = ProfileSection(name, template, load)


def sections_for(user, viewer) -> list[tuple[ProfileSection, list]]:
    """Each registered section with what `viewer` may see of `user`'s activity there, in registration order."""
    return [(section, section.load(user, viewer)) for section in _sections.values()]
