"""A consultation's internal notes reach only its secretariat and administrators (issue 13, item 5).

Screening notes, late-acceptance reasons, reviews and the responses to private kinds (workshops,
nominations) are the secretariat's: the moderators of the action line the contribution belongs to do
not read them in the audit log, whatever the filter.
"""

import pytest

from app.consultation import services
from tests.factories import setup_data
from tests.support.clients import client_for

SCREEN_NOTE = "Screening note: overlaps with the ministry bid"
PRIVATE_RESPONSE = "Workshop response: the organiser funding is unconfirmed"
PUBLIC_RESPONSE = "Thematic response: see session 3 of the forum"


@pytest.fixture
def world(app, make):
    moderator = make.moderator("c7-e-health")
    with setup_data(app) as build:
        consultation = build.consultation(slug="wsis17")
        secretariat = build.secretariat(consultation)
        thematic = build.contribution(consultation, state="submitted")
        services.screen(thematic, secretariat, note=SCREEN_NOTE)
        services.accept(thematic, secretariat, PUBLIC_RESPONSE)
        workshop = build.contribution(consultation, kind="workshop", state="submitted")
        services.screen(workshop, secretariat)
        services.accept(workshop, secretariat, PRIVATE_RESPONSE)
        admin = consultation.test_admin
        from tests.factories import community_id

        c7 = community_id("c7-e-health")
    return {"moderator": moderator, "secretariat": secretariat, "admin": admin, "c7": c7}


def _log_pages(app, user, c7):
    client = client_for(app, user)
    urls = [
        "/moderation/log",
        f"/moderation/log?community={c7}",
        "/moderation/log?action=contribution.screen",
        "/moderation/log?action=contribution.accept",
        "/c/c7-e-health/moderation-log",
    ]
    pages = []
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url  # the public log exists only if published
        pages.append(response.get_data(as_text=True))
    return "\n".join(pages)


def test_a_moderator_outside_the_secretariat_does_not_read_internal_notes(app, world):
    pages = _log_pages(app, world["moderator"], world["c7"])
    assert SCREEN_NOTE not in pages and PRIVATE_RESPONSE not in pages
    assert PUBLIC_RESPONSE in pages  # the public official response stays in the community's log


@pytest.mark.parametrize("who", ["secretariat", "admin"])
def test_the_secretariat_and_administrators_read_internal_notes(app, world, who):
    pages = _log_pages(app, world[who], world["c7"])
    assert SCREEN_NOTE in pages and PRIVATE_RESPONSE in pages and PUBLIC_RESPONSE in pages
