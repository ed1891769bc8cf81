"""The audit log reads as sentences in the viewer's language, linking what the viewer may open
(issue 13, item 24): no raw action keys, ids or JSON, and no title of an object the viewer cannot read."""

import re

import pytest

from app.consultation import services as consultation_services
from app.core.audit import AuditEntry
from app.discussions.models import Thread
from app.extensions import db
from tests.factories import setup_data
from tests.support.clients import client_for

SECRET_TITLE = "Closed-room budget talks"
RAW = re.compile(r"\b(hide_post|retitle_thread|warn_user|contribution\.screen|contribution\.submit)\b|[{}]")


def _text(html: str) -> str:
    """What a reader sees of the log's table: its text without tags."""
    table = html[html.index("<table") : html.index("</table>")]
    cells = re.sub(r"</?(td|th|tr)\b[^>]*>", " ", table)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cells))


@pytest.fixture
def world(app, client, auth, make):
    moderator = make.moderator("c7-e-health", username="mod_amina")
    member = make.user(username="member_jon")
    post = make.reply(make.thread(title="Rural clinics"))
    secret = make.thread(title=SECRET_TITLE)
    secret_post = make.reply(secret)
    auth.login(moderator)
    assert client.post(f"/moderation/p/{post.id}/hide", data={"hide-reason": "off topic"}).status_code == 302
    assert (
        client.post(f"/moderation/p/{secret_post.id}/hide", data={"hide-reason": "leak"}).status_code == 302
    )
    assert (
        client.post(f"/moderation/u/{member.username}/warn", data={"warn-reason": "be kind"}).status_code
        == 302
    )
    auth.logout()
    # The second thread then moves into a restricted community the moderator does not read.
    closed = make.restricted_community("closed-room")
    with app.app_context():
        db.session.get(Thread, secret.id).community_id = closed.id
        db.session.commit()
    with setup_data(app) as build:
        consultation = build.consultation(slug="wsis17")
        contribution = build.contribution(consultation, state="submitted", title="Broadband backbone")
        consultation_services.screen(contribution, consultation.test_admin)
        admin = consultation.test_admin
    return {"moderator": moderator, "admin": admin, "post": post, "secret_post": secret_post,
            "contribution": contribution}  # fmt: skip


def test_the_log_reads_as_sentences_with_links_in_english(app, world):
    html = client_for(app, world["admin"]).get("/moderation/log").get_data(as_text=True)
    text = _text(html)
    assert not RAW.search(text), RAW.search(text)
    assert "mod_amina hid a post in “Rural clinics”." in text
    assert "mod_amina warned member_jon." in text
    reference = world["contribution"].reference
    assert f"screened {reference} “Broadband backbone” and took it in for review." in text
    assert f'href="/p/{world["post"].id}"' in html or f"/p/{world['post'].id}" in html
    assert f'href="/consultations/wsis17/contributions/{world["contribution"].id}"' in html
    assert 'href="/u/member_jon"' in html


def test_the_log_reads_in_french(app, world):
    client = client_for(app, world["admin"])
    html = client.get("/moderation/log", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    text = _text(html)
    assert not RAW.search(text), RAW.search(text)
    assert "mod_amina a masqué un message dans « Rural clinics »." in text
    assert "mod_amina a averti member_jon." in text


def test_an_object_the_viewer_cannot_read_is_named_without_link_or_title(app, world):
    html = client_for(app, world["moderator"]).get("/moderation/log").get_data(as_text=True)
    text = _text(html)
    assert SECRET_TITLE not in html
    assert f"/p/{world['secret_post'].id}" not in html
    assert "mod_amina hid a post." in text  # their own action, on a post they can no longer read
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(AuditEntry)).scalar_one() >= 4


def test_every_action_reads_as_a_sentence_in_every_language(app):
    from app.core import audit
    from app.moderation.models import ACTION_LABELS

    actions = audit.registered_actions()
    assert set(ACTION_LABELS) <= set(actions)
    assert {"contribution.screen", "brief.publish", "meeting.minutes", "phase.update"} <= set(actions)
    for language in ("en", "ar", "zh", "fr", "ru", "es"):
        with app.test_request_context(headers={"Accept-Language": language}):
            for action, kind in actions.items():
                text = str(kind.sentence)
                assert "%(actor)s" in text and "%(target)s" in text, (language, action)
