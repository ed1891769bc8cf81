"""A member's own contributions say "Yours" (in words, not only a colour) wherever contributions are listed."""

import pytest

from app.consultation import services
from tests.factories import setup_data
from tests.support.clients import client_for
from tests.support.pages import select

# (page, its addresses from the test's ids: the member's own and someone else's where they differ,
#  the element that holds one contribution)
PAGES = [
    ("contributions list", ["/consultations/marks/contributions"], ".contribution-item"),
    ("contribution page", ["/consultations/marks/contributions/{mine}", "/consultations/marks/contributions/{theirs}"],
     "header.page-header"),
    ("profile", ["/u/marks_author", "/u/marks_other"], ".profile-contributions li"),
    ("meeting", ["/consultations/marks/meetings/{meeting}"], ".discussed li"),
    ("search results", ["/search?q=quokka"], "li.search-result[data-type=contribution]"),
]  # fmt: skip


def _world(app) -> dict:
    with setup_data(app) as build:
        consultation = build.consultation(slug="marks")
        author, other = build.user("marks_author"), build.user("marks_other")
        mine = build.contribution(consultation, author, state="submitted", title="Quokka backbones (mine)")
        theirs = build.contribution(consultation, other, state="submitted", title="Quokka spectrum (theirs)")
        meeting = build.meeting(consultation, mine.submitted_at)
        for contribution in (mine, theirs):
            services.link_item(meeting, consultation.test_admin, contribution=contribution)
    return {"author": author, "mine": mine.id, "theirs": theirs.id, "meeting": meeting.id}


@pytest.mark.parametrize("name, addresses, row", PAGES, ids=[page[0] for page in PAGES])
def test_own_contributions_are_marked_yours(app, name, addresses, row):
    world = _world(app)
    member, visitor = client_for(app, world["author"]), client_for(app)
    rows, seen_by_visitor = [], []
    for address in addresses:
        url = address.format(**world)
        rows += [element.text for element in select(member.get(url).get_data(as_text=True), row)]
        seen_by_visitor += [element.text for element in select(visitor.get(url).get_data(as_text=True), row)]
    own = [text for text in rows if "(mine)" in text]
    others = [text for text in rows if "(theirs)" in text]
    assert own and others, f"the {name} should show both contributions"
    assert all("Yours" in text for text in own)
    assert not any("Yours" in text for text in others)
    assert seen_by_visitor and not any("Yours" in text for text in seen_by_visitor)


def test_the_secretariat_sees_its_own_contributions_marked_in_the_review_queue(app):
    with setup_data(app) as build:
        consultation = build.consultation(slug="queue")
        secretariat = build.secretariat(consultation)
        build.contribution(consultation, secretariat, state="submitted", title="Quokka plans (mine)")
        build.contribution(consultation, state="submitted", title="Quokka maps (theirs)")
    page = client_for(app, secretariat).get("/consultations/queue/review").get_data(as_text=True)
    rows = [element.text for element in select(page, "li") if "Quokka" in element.text]
    assert [("Yours" in text) for text in rows if "(mine)" in text] == [True]
    assert [("Yours" in text) for text in rows if "(theirs)" in text] == [False]
