"""The final brief as a reader sees it: a version's content (or the secretariat's draft) with each
item's contribution or thread loaded and asked `can_view` / `can_read` now — what moderation takes
down, or a withdrawal hides, leaves every version at once. Also the headline figures and what changed
between two versions. The page, the version pages and the PDF all render these."""

import re
from dataclasses import dataclass, field
from html import unescape

from flask_babel import lazy_gettext as _l

from app.consultation.models import BriefVersion, Contribution, Disposition, SectionKind
from app.consultation.services import brief as brief_services
from app.consultation.stats import counted_contributions
from app.core.wordiff import word_diff
from app.discussions.models import Thread
from app.extensions import db


@dataclass
class ItemView:
    contribution: Contribution | None
    thread: Thread | None
    disposition: str
    rationale_html: str
    rationale_source: str = ""
    discussion: Thread | None = None  # where the item was discussed, when the reader may read it

    @property
    def key(self) -> tuple[str, int]:
        return ("contribution", self.contribution.id) if self.contribution else ("thread", self.thread.id)

    @property
    def disposition_label(self):
        return Disposition(self.disposition).label


@dataclass
class SectionView:
    id: int
    title: str
    kind: str
    kind_label: str | None  # None when the title says it already ("Workshops · Workshops")
    body_html: str
    items: list[ItemView]
    body_source: str = ""
    community_id: int | None = None  # an action line's community


@dataclass
class BriefView:
    consultation: object
    intro_html: str
    sections: list[SectionView]
    version: BriefVersion | None  # None: the secretariat's draft
    intro_source: str = ""
    versions: list[BriefVersion] = field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        return self.version is None

    @property
    def items(self) -> list[ItemView]:
        return [item for section in self.sections for item in section.items]


def _kind_label(section: dict, title: str):
    """The section's kind, unless its title says it already (in the reader's language or in the
    words of the kind's name: "Workshops", "Regional inputs")."""
    kind = SectionKind(section["kind"])
    title = title.casefold()
    if str(kind.label).casefold() in title or kind.value.replace("_", " ") in title:
        return None
    return kind.label


def _targets(model, ids: set[int]) -> dict:
    if not ids:
        return {}
    return {row.id: row for row in db.session.execute(db.select(model).where(model.id.in_(ids))).scalars()}


def _discussion(contribution, viewer) -> Thread | None:
    """A contribution's discussion thread, when the reader may read it."""
    if contribution is None or contribution.thread is None:
        return None
    return contribution.thread if contribution.thread.can_read(viewer) else None


def build(consultation, content: dict, viewer, version: BriefVersion | None = None) -> BriefView:
    """The content with only the items `viewer` may see, their contributions and threads loaded."""
    raw_items = [item for section in content["sections"] for item in section["items"]]
    contributions = _targets(Contribution, {i["contribution_id"] for i in raw_items if i["contribution_id"]})
    threads = _targets(Thread, {i["thread_id"] for i in raw_items if i["thread_id"]})
    sections = []
    for section in content["sections"]:
        items = []
        for item in section["items"]:
            contribution = contributions.get(item["contribution_id"])
            thread = threads.get(item["thread_id"])
            shown = (
                contribution.can_view(viewer)
                if contribution
                else thread is not None and thread.can_read(viewer)
            )
            if shown:
                items.append(
                    ItemView(
                        contribution,
                        thread,
                        item["disposition"],
                        item["rationale_html"],
                        item.get("rationale_source", ""),
                    )  # fmt: skip
                )
        sections.append(
            SectionView(
                section["id"],
                section["title"],
                section["kind"],
                _kind_label(section, section["title"]),
                section["body_html"],
                items,
                section.get("body_source", ""),
            )  # fmt: skip
        )
    return BriefView(
        consultation, content["intro_html"], sections, version, content.get("intro_source", ""),
        list(consultation.brief_versions),
    )  # fmt: skip


def published(consultation, viewer, number: int | None = None) -> BriefView | None:
    """The latest published version (or version `number`) as `viewer` sees it; None if there is none."""
    if consultation.brief_published_at is None:
        return None
    versions = consultation.brief_versions
    chosen = versions[-1] if number is None else next((v for v in versions if v.number == number), None)
    return build(consultation, chosen.content, viewer, chosen) if chosen else None


def draft(consultation, viewer) -> BriefView:
    """The brief as the secretariat is drafting it."""
    return build(consultation, brief_services.draft_content(consultation), viewer)


def for_reader(consultation, viewer) -> BriefView | None:
    """What the brief page shows: the published version, else the draft for the secretariat."""
    shown = published(consultation, viewer)
    if shown is None and consultation.is_secretariat(viewer):
        return draft(consultation, viewer)
    return shown


# -- headline figures -------------------------------------------------------------------------------


@dataclass
class Headline:
    inputs: int
    groups: int
    regions: int
    incorporated: int
    partially: int


def headline(brief: BriefView, contributions=None) -> Headline:
    """ "14 inputs from 9 stakeholder groups in 6 regions; 9 incorporated": the inputs counted are the
    consultation's submitted contributions (as its statistics count them), the dispositions those of
    the brief's items the reader sees."""
    if contributions is None:
        contributions = counted_contributions(brief.consultation)
    dispositions = [item.disposition for item in brief.items]
    return Headline(
        inputs=len(contributions),
        groups=len({c.stakeholder_type for c in contributions if c.stakeholder_type}),
        regions=len({c.submitter_region for c in contributions if c.submitter_region}),
        incorporated=dispositions.count(Disposition.INCORPORATED),
        partially=dispositions.count(Disposition.PARTIALLY),
    )


# -- what changed between two versions --------------------------------------------------------------


@dataclass
class Change:
    what: (
        str  # added, removed, disposition, rationale, section_added, section_removed, section_renamed, intro
    )
    label: object
    item: ItemView | None = None
    section: str = ""
    before: object = ""
    after: object = ""
    diff: list = field(default_factory=list)  # word_diff pairs for text changes


_TAGS = re.compile(r"<[^>]+>")


def _text(source: str, html: str) -> str:
    return source if source else unescape(_TAGS.sub(" ", html or "")).strip()


def _keyed_items(brief: BriefView) -> dict:
    return {item.key: (section, item) for section in brief.sections for item in section.items}


def changes(older: BriefView, newer: BriefView) -> list[Change]:
    """What `newer` changed from `older`, for the items the reader sees in either."""
    found = []
    if _text(older.intro_source, older.intro_html) != _text(newer.intro_source, newer.intro_html):
        found.append(
            Change(
                "intro",
                _l("Introduction changed"),
                diff=word_diff(
                    _text(older.intro_source, older.intro_html), _text(newer.intro_source, newer.intro_html)
                ),
            )  # fmt: skip
        )
    old_sections = {section.id: section for section in older.sections}
    new_sections = {section.id: section for section in newer.sections}
    for section in newer.sections:
        if section.id not in old_sections:
            found.append(Change("section_added", _l("Section added"), section=section.title))
        elif old_sections[section.id].title != section.title:
            found.append(
                Change("section_renamed", _l("Section renamed"), section=section.title,
                       before=old_sections[section.id].title, after=section.title)
            )  # fmt: skip
    for section in older.sections:
        if section.id not in new_sections:
            found.append(Change("section_removed", _l("Section removed"), section=section.title))
    old_items, new_items = _keyed_items(older), _keyed_items(newer)
    for key, (section, item) in new_items.items():
        if key not in old_items:
            found.append(Change("added", _l("Added"), item, section.title, after=item.disposition_label))
            continue
        _old_section, old_item = old_items[key]
        if old_item.disposition != item.disposition:
            found.append(
                Change("disposition", _l("Disposition changed"), item, section.title,
                       before=old_item.disposition_label, after=item.disposition_label)
            )  # fmt: skip
        old_text = _text(old_item.rationale_source, old_item.rationale_html)
        new_text = _text(item.rationale_source, item.rationale_html)
        if old_text != new_text:
            found.append(
                Change(
                    "rationale",
                    _l("Rationale changed"),
                    item,
                    section.title,
                    diff=word_diff(old_text, new_text),
                )
            )
    for key, (section, item) in old_items.items():
        if key not in new_items:
            found.append(Change("removed", _l("Removed"), item, section.title, before=item.disposition_label))
    return found
