"""The audit log narrows to one consultation (issue 20): its own entries, its phases', meetings' and
contributions', for administrators and its secretariat; no one else is offered it."""

import pytest

from app.consultation import services
from app.core.audit import AuditEntry
from app.extensions import db
from tests.factories import setup_data
from tests.support.clients import client_for
from tests.support.pages import select, select_one

NOTE = "Screening note: overlaps with the ministry bid"


@pytest.fixture
def two_consultations(app):
    with setup_data(app) as build:
        first, second = build.consultation(slug="wsis17"), build.consultation(slug="wsis18")
        secretariat = build.secretariat(first)
        screened = build.contribution(first, state="submitted")
        services.screen(screened, secretariat, note=NOTE)
        moderator = build.moderator("c7")
        db.session.flush()
        entries = {
            first.id: _ids(("consultation", first.id), ("contribution", screened.id)),
            second.id: _ids(("consultation", second.id)),
        }
    return {"first": first.id, "second": second.id, "secretariat": secretariat, "admin": first.test_admin,
            "moderator": moderator, "entries": entries}  # fmt: skip


def _ids(*targets) -> set[int]:
    """The entries about these (target type, id) pairs."""
    about = [db.and_(AuditEntry.target_type == kind, AuditEntry.target_id == key) for kind, key in targets]
    return set(db.session.execute(db.select(AuditEntry.id).where(db.or_(*about))).scalars())


def _shown(html) -> set[int]:
    return {int(row.get("data-entry-id")) for row in select(html, "tr.audit-entry")}


def test_an_administrator_narrows_the_log_to_one_consultation(app, two_consultations):
    world = two_consultations
    html = (
        client_for(app, world["admin"])
        .get(f"/moderation/log?consultation={world['first']}")
        .get_data(as_text=True)
    )
    shown = _shown(html)
    assert world["entries"][world["first"]] <= shown
    assert not shown & world["entries"][world["second"]]
    assert NOTE in html


def test_the_secretariat_is_offered_its_own_consultation_only(app, two_consultations):
    world = two_consultations
    client = client_for(app, world["secretariat"])
    html = client.get("/moderation/log").get_data(as_text=True)
    offered = {option.get("value") for option in select(html, "select[name='consultation'] option")}
    assert offered == {"", str(world["first"])}
    html = client.get(f"/moderation/log?consultation={world['second']}").get_data(as_text=True)
    assert "Choose one from the list." in select_one(html, ".audit-filters").text
    assert _shown(html) == set()


def test_a_community_moderator_filtering_by_consultation_reads_no_internal_note(app, two_consultations):
    world = two_consultations
    html = (
        client_for(app, world["moderator"])
        .get(f"/moderation/log?consultation={world['first']}")
        .get_data(as_text=True)
    )
    assert NOTE not in html
    assert not select(html, "select[name='consultation']") or "Choose one from the list." in html
