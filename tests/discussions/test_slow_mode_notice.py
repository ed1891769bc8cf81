"""Slow mode is announced before anyone is refused: its interval in the thread's header and above the
reply box, and how long a member who just posted still has to wait (issue 20)."""

import pytest

from app.discussions.models import Thread
from app.moderation import services as moderation
from tests.factories import setup_data
from tests.support.clients import client_for
from tests.support.pages import page_text, select_one


def _slow_thread(app, make, seconds):
    thread = make.thread(title="Telemedicine in rural clinics")
    with setup_data(app) as build:
        moderation.set_slow_mode(build.get(Thread, thread.id), None, seconds)
    return thread


@pytest.mark.parametrize(
    ("seconds", "wording"),
    [
        (30, "Slow mode: one post every 30 seconds"),
        (300, "Slow mode: one post every 5 minutes"),
        (3600, "Slow mode: one post every 1 hour"),
        (21600, "Slow mode: one post every 6 hours"),
        (86400, "Slow mode: one post every 1 day"),
    ],
)
def test_the_interval_is_in_the_header_and_above_the_reply_box(app, make, seconds, wording):
    thread = _slow_thread(app, make, seconds)
    html = client_for(app, make.user()).get(f"/t/{thread.id}").get_data(as_text=True)
    assert select_one(html, ".thread-header .slow-mode-badge").text == wording
    notice = select_one(html, "#reply .slow-mode-notice")
    assert wording in notice.text
    assert "You can post here again" not in notice.text  # nobody is refused yet
    assert html.index("slow-mode-notice") < html.index('id="reply-form"')

    without = make.thread(title="A thread at the usual pace")
    html = client_for(app, make.user()).get(f"/t/{without.id}").get_data(as_text=True)
    assert "Slow mode" not in page_text(html)


def test_visitors_see_the_interval_in_the_header(app, make):
    thread = _slow_thread(app, make, 300)
    html = app.test_client().get(f"/t/{thread.id}").get_data(as_text=True)
    assert select_one(html, ".thread-header .slow-mode-badge").text == "Slow mode: one post every 5 minutes"


def test_a_member_who_just_posted_is_told_how_long_to_wait_before_trying(app, make):
    thread = _slow_thread(app, make, 300)
    member = make.user()
    client = client_for(app, member)
    assert client.post(f"/t/{thread.id}/reply", data={"body": "First thoughts on clinics"}).status_code == 302
    notice = select_one(client.get(f"/t/{thread.id}").get_data(as_text=True), "#reply .slow-mode-notice")
    assert "You can post here again in 5 minutes." in notice.text


def test_moderators_are_told_slow_mode_does_not_hold_them(app, make):
    thread = _slow_thread(app, make, 300)
    html = client_for(app, make.moderator()).get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Moderators are not held by slow mode." in select_one(html, "#reply .slow-mode-notice").text
