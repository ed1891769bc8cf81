"""The final brief: sections and items with dispositions, drafted by the secretariat, then published.

Publishing keeps the brief as it is then as version 1; later changes stay a draft (seen by the
secretariat) until a correction is published as the next version, with a note of what changed."""

import json
import logging

from flask_babel import lazy_gettext as _l

from app.consultation import webhooks
from app.consultation.models import (
    BriefItem,
    BriefSection,
    BriefVersion,
    ContributionState,
    Disposition,
    SectionKind,
)
from app.consultation.services.errors import ConsultationError, InvalidInput, require_readable
from app.core.audit import record
from app.core.text import render_markdown
from app.core.time import utcnow
from app.extensions import db

logger = logging.getLogger(__name__)


def set_intro(consultation, actor, intro: str) -> None:
    """The brief's opening text."""
    consultation.brief_intro_source = intro or ""
    consultation.brief_intro_html = render_markdown(intro or "")
    db.session.flush()
    record(actor, "brief.intro", "consultation", consultation.id)


def add_section(consultation, actor, kind: str, title: str, body: str = "", community=None) -> BriefSection:
    """A section per action line (give `community`) or for format innovations, workshops, facilitators
    or regional inputs."""
    errors = {}
    if kind not in set(SectionKind):
        errors["kind"] = _l("Choose a kind of section.")
    elif (kind == SectionKind.ACTION_LINE) != (community is not None):
        errors["community"] = _l("An action-line section needs its action line (and only it does).")
    if not (title or "").strip():
        errors["title"] = _l("Give the section a title.")
    if errors:
        raise InvalidInput(errors)
    position = len(consultation.brief_sections)
    section = BriefSection(
        consultation=consultation, kind=kind, title=title.strip(), community_id=getattr(community, "id", None),
        body_source=body or "", body_html=render_markdown(body or ""), position=position,
    )  # fmt: skip
    db.session.add(section)
    db.session.flush()
    record(
        actor,
        "brief.add_section",
        "consultation",
        consultation.id,
        after={"section": section.id, "title": section.title},
    )
    return section


def delete_section(section, actor) -> None:
    """Remove a section and its items."""
    record(
        actor,
        "brief.delete_section",
        "consultation",
        section.consultation_id,
        before={"title": section.title},
    )
    section.consultation.brief_sections.remove(section)  # the draft read in this session loses it too
    db.session.delete(section)
    db.session.flush()


def _check_disposition(disposition: str, rationale: str, errors: dict) -> None:
    """Raise with `errors` and the disposition's and rationale's own, if there are any."""
    if disposition not in set(Disposition):
        errors["disposition"] = _l("Choose a disposition.")
    if not (rationale or "").strip():
        errors["rationale"] = _l("Explain the disposition.")
    if errors:
        raise InvalidInput(errors)


def add_item(section, actor, disposition: str, rationale: str, contribution=None, thread=None) -> BriefItem:
    """List a contribution or a thread in a section, with its disposition and the rationale."""
    require_readable(actor, contribution, thread)
    errors = {}
    if (contribution is None) == (thread is None):
        errors["target"] = _l("Give a contribution reference or a thread number.")
    elif contribution is not None and (
        contribution.consultation_id != section.consultation_id
        or contribution.state == ContributionState.DRAFT
    ):
        errors["target"] = _l("That contribution is not part of this consultation's submissions.")
    _check_disposition(disposition, rationale, errors)
    item = BriefItem(
        contribution=contribution, thread=thread, disposition=disposition, position=len(section.items),
        rationale_source=rationale, rationale_html=render_markdown(rationale),
    )  # fmt: skip
    section.items.append(item)
    db.session.flush()
    record(
        actor, "brief.add_item", "consultation", section.consultation_id,
        after={"section": section.id, "contribution": getattr(contribution, "reference", None),
               "thread": getattr(thread, "id", None), "disposition": disposition},
    )  # fmt: skip
    return item


def change_item(item, actor, disposition: str, rationale: str) -> None:
    """Change an item's disposition or rationale (after publication: part of the next correction)."""
    _check_disposition(disposition, rationale, {})
    before = {"disposition": item.disposition, "rationale": item.rationale_source}
    item.disposition, item.rationale_source, item.rationale_html = (
        disposition,
        rationale,
        render_markdown(rationale),
    )
    db.session.flush()
    record(
        actor, "brief.change_item", "consultation", item.section.consultation_id, before=before,
        after={"item": item.id, "disposition": disposition, "rationale": rationale},
    )  # fmt: skip


def remove_item(item, actor) -> None:
    """Take an item out of the brief."""
    record(
        actor,
        "brief.remove_item",
        "consultation",
        item.section.consultation_id,
        before={"item": item.id, "disposition": item.disposition},
    )
    item.section.items.remove(item)  # the draft read in this session loses it too
    db.session.delete(item)
    db.session.flush()


def draft_content(consultation) -> dict:
    """The brief as the secretariat has it now, in the form a version keeps."""
    return {
        "intro_source": consultation.brief_intro_source, "intro_html": consultation.brief_intro_html,
        "sections": [
            {"id": section.id, "kind": section.kind, "title": section.title, "community_id": section.community_id,
             "body_source": section.body_source, "body_html": section.body_html,
             "items": [{"contribution_id": item.contribution_id, "thread_id": item.thread_id,
                        "disposition": item.disposition, "rationale_source": item.rationale_source,
                        "rationale_html": item.rationale_html} for item in section.items]}
            for section in consultation.brief_sections
        ],
    }  # fmt: skip


def latest_version(consultation) -> BriefVersion | None:
    return consultation.brief_versions[-1] if consultation.brief_versions else None


def has_unpublished_changes(consultation) -> bool:
    """Whether the draft differs from the latest published version."""
    latest = latest_version(consultation)
    return latest is None or latest.content != _comparable(draft_content(consultation))


def _comparable(content: dict) -> dict:
    return json.loads(json.dumps(content))


def _new_version(consultation, actor, note: str, now) -> BriefVersion:
    latest = latest_version(consultation)
    version = BriefVersion(
        consultation=consultation, number=latest.number + 1 if latest else 1, published_at=now,
        published_by_id=getattr(actor, "id", None), note=note,
        content_json=json.dumps(draft_content(consultation), ensure_ascii=False),
    )  # fmt: skip
    db.session.add(version)
    db.session.flush()
    return version


def publish(consultation, actor, now=None) -> None:
    """Make the brief public: what it holds now becomes its first version (or the next one, when it
    was taken back to draft and is published again)."""
    if consultation.brief_published_at is not None:
        raise ConsultationError(_l("The brief is already published."))
    now = now or utcnow()
    consultation.brief_published_at = now
    version = _new_version(consultation, actor, "", now)
    record(actor, "brief.publish", "consultation", consultation.id, after={"version": version.number})
    webhooks.brief_published(consultation)
    logger.info("Brief of %s published by %s (version %d)", consultation, actor, version.number)


def publish_correction(consultation, actor, note: str, now=None) -> BriefVersion:
    """Publish the draft's changes as the next version; the earlier ones stay readable."""
    latest = latest_version(consultation)
    if consultation.brief_published_at is None or latest is None:
        raise ConsultationError(_l("Publish the brief first; corrections come after."))
    note = (note or "").strip()
    if not note:
        raise InvalidInput({"note": _l("Say what the correction changes.")})
    if not has_unpublished_changes(consultation):
        raise InvalidInput(
            {"note": _l("Nothing has changed since version %(number)d.", number=latest.number)}
        )
    version = _new_version(consultation, actor, note, now or utcnow())
    record(
        actor, "brief.correct", "consultation", consultation.id,
        after={"version": version.number, "note": note},
    )  # fmt: skip
    webhooks.brief_published(consultation)
    return version


def unpublish(consultation, actor) -> None:
    """Take the brief back to draft."""
    if consultation.brief_published_at is None:
        raise ConsultationError(_l("The brief is not published."))
    consultation.brief_published_at = None
    db.session.flush()
    record(actor, "brief.unpublish", "consultation", consultation.id)
