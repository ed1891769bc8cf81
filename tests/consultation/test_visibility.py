"""Who sees what: pages, lists, exports and the search provider apply the same rules."""

import json
import re

import pytest

from app.consultation.search import ContributionProvider
from app.extensions import db
from tests.factories import BEFORE, setup_data
from tests.support.clients import client_for


@pytest.fixture
def world(app):
    """A consultation with a workshop request in each interesting state, and the people around it."""
    with setup_data(app) as build:
        return _world(build)


def _world(build):
    consultation = build.consultation(slug="wsis17")
    reviewer = build.reviewer(consultation)
    people = {
        "author": build.user("author"),
        "other": build.user("other"),
        "secretariat": build.secretariat(consultation),
        "reviewer": reviewer,
    }
    items = {
        "draft": build.contribution(
            consultation, people["author"], "workshop", "draft", title="Workshop draft only"
        ),
        "pending": build.contribution(
            consultation,
            people["author"],
            "workshop",
            "under_review",
            reviewer=reviewer,
            title="Workshop under review",
        ),
        "accepted": build.contribution(
            consultation, people["author"], "workshop", "accepted", title="Workshop accepted"
        ),
        "nomination": build.contribution(
            consultation, people["author"], "nomination", "submitted", title="Nomination pending"
        ),
        "thematic": build.contribution(
            consultation, people["author"], "thematic", "submitted", title="Thematic submitted"
        ),
        "withdrawn": build.contribution(
            consultation, people["author"], "thematic", "withdrawn", title="Thematic withdrawn"
        ),
    }
    db.session.flush()
    return consultation, people, {name: c.id for name, c in items.items()}


EXPECTED = {
    # contribution: the viewers who may see it
    "draft": {"author"},
    "pending": {"author", "secretariat", "reviewer"},
    "accepted": {"author", "secretariat", "reviewer", "other", "anonymous"},
    "nomination": {"author", "secretariat"},
    "thematic": {"author", "secretariat", "reviewer", "other", "anonymous"},
    "withdrawn": {"author", "secretariat"},
}
VIEWERS = ["author", "other", "secretariat", "reviewer", "anonymous"]


_client = client_for


@pytest.mark.parametrize("viewer", VIEWERS)
def test_pages_lists_and_exports(app, world, viewer):
    consultation, people, ids = world
    client = _client(app, people.get(viewer))
    listing = client.get("/consultations/wsis17/contributions").get_data(as_text=True)
    records = json.loads(client.get("/consultations/wsis17/export.json").get_data(as_text=True))[
        "contributions"
    ]
    csv_text = client.get("/consultations/wsis17/export.csv").get_data(as_text=True)
    exported = {record["id"] for record in records}
    for name, contribution_id in ids.items():
        allowed = viewer in EXPECTED[name]
        page = client.get(f"/consultations/wsis17/contributions/{contribution_id}")
        assert page.status_code == (200 if allowed else 404), (name, viewer)
        if name != "draft":
            assert (contribution_id in exported) is allowed, (name, viewer)
    titles = {
        "pending": "Workshop under review",
        "nomination": "Nomination pending",
        "withdrawn": "Thematic withdrawn",
    }
    for name, title in titles.items():
        assert (title in listing) is (viewer in EXPECTED[name]), (name, viewer)
        assert (title in csv_text) is (viewer in EXPECTED[name]), (name, viewer)
    assert ("Workshop draft only" in listing) is (viewer == "author")  # "Your drafts"
    assert "Workshop draft only" not in csv_text  # drafts are never exported


@pytest.mark.parametrize("viewer", VIEWERS)
def test_search_provider_visibility(app, world, viewer):
    from flask_login import AnonymousUserMixin

    consultation, people, ids = world
    with app.app_context(), app.test_request_context():
        user = db.session.merge(people[viewer]) if viewer in people else AnonymousUserMixin()
        provider = ContributionProvider()
        visible = provider.visible(user, list(ids.values()))
        assert visible == {ids[name] for name in ids if viewer in EXPECTED[name]}


def test_search_documents(app, world):
    consultation, people, ids = world
    with app.app_context(), app.test_request_context():
        provider = ContributionProvider()
        assert set(ids.values()) <= set(provider.all_ids())
        (document,) = provider.documents([ids["accepted"]])
        assert document.type == "contribution" and document.status == "accepted"
        assert document.title.startswith("WSIS17-WS-") and "Amina Diallo" in document.text
        assert len(document.community_ids) == 2 and document.author_username == "author"
        assert document.url == f"/consultations/wsis17/contributions/{ids['accepted']}"
        assert provider.documents([999999]) == []


def test_official_response_of_private_types_stays_private(app, world):
    consultation, people, ids = world
    url = f"/consultations/wsis17/contributions/{ids['accepted']}"
    assert "Accepted: see session 3." not in _client(app, None).get(url).get_data(as_text=True)
    client = _client(app, people["author"])
    assert "Accepted: see session 3." in client.get(url).get_data(as_text=True)
    record = next(
        r
        for r in json.loads(client.get("/consultations/wsis17/export.json").data)["contributions"]
        if r["id"] == ids["accepted"]
    )
    assert record["official_response"] == "Accepted: see session 3."
    client = _client(app, None)
    record = next(
        r
        for r in json.loads(client.get("/consultations/wsis17/export.json").data)["contributions"]
        if r["id"] == ids["accepted"]
    )
    assert record["official_response"] is None
    assert all(step["note"] == "" for step in record["state_history"] if step["action"] == "accept")


def test_public_types_are_public_once_submitted(build):
    consultation = build.consultation()
    contribution = build.contribution(consultation, state="submitted", now=BEFORE)
    assert contribution.is_public and contribution.thread_id is not None
    workshop = build.contribution(consultation, kind="workshop", state="submitted")
    assert not workshop.is_public and workshop.thread_id is None  # its discussion opens once decided


def _profile_contribution_titles(client) -> set[str]:
    """The contribution titles listed in the profile's contributions section (not its threads)."""
    page = client.get("/u/author")
    assert page.status_code == 200
    section = page.get_data(as_text=True).split('class="profile-contributions"', 1)[1].split("</section>")[0]
    return set(re.findall(r'dir="auto">([^<]+)</a>', section))


@pytest.mark.parametrize("viewer", VIEWERS)
def test_profile_lists_the_contributions_the_viewer_may_read(app, world, viewer):
    consultation, people, ids = world
    titles = {
        "draft": "Workshop draft only",
        "pending": "Workshop under review",
        "accepted": "Workshop accepted",
        "nomination": "Nomination pending",
        "thematic": "Thematic submitted",
        "withdrawn": "Thematic withdrawn",
    }
    expected = {titles[name] for name in titles if name != "draft" and viewer in EXPECTED[name]}
    assert _profile_contribution_titles(_client(app, people.get(viewer))) == expected
