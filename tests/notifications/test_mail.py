"""Notifications by mail: batched, in the reader's language, never for what was read, taken down or
unsubscribed from; one-click unsubscribe works without cookies."""

from datetime import timedelta

import pytest

from app.core.time import utcnow
from app.extensions import db
from app.jobs.models import Job
from app.notifications.models import Notification
from tests.support.clients import client_for
from tests.support.mail import html_of, outbox, text_of, to


@pytest.fixture(autouse=True)
def _no_batch_window(app):
    app.config["MAIL_BATCH_SECONDS"] = 0  # the sweep runs at the commit (jobs run inline in tests)


def _unsubscribe_path(message) -> str:
    return message["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:5000")


def test_a_reply_to_my_post_is_mailed_with_the_post_and_a_one_click_unsubscribe(app, make):
    author = make.user("amina")
    thread = make.thread(author=author, title="Rural broadband")
    make.reply(
        thread,
        author=make.user("samir", display_name="Samir"),
        parent=make.opening_post(thread),
        body="We **agree** <script>x</script>",
    )
    (message,) = to(outbox(app), "amina@example.org")
    assert message["Subject"] == "Samir replied to your post in “Rural broadband”"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = html_of(message)
    assert "<strong>agree</strong>" in html and "<script>" not in html
    assert "http://127.0.0.1:5000/p/" in text_of(message) and "We agree" in text_of(message)


def test_several_replies_within_the_window_make_one_mail_and_what_was_read_is_not_mailed(app, make):
    app.config["MAIL_BATCH_SECONDS"] = 120
    runner = app.extensions["majlis_jobs"]
    author = make.user("amina")
    thread = make.thread(author=author)
    first = make.opening_post(thread)
    make.reply(thread, author=make.user(), parent=first, body="One")
    make.reply(thread, author=make.user(), parent=first, body="Two")
    assert outbox(app) == []  # the window has not passed
    with app.app_context():
        db.session.execute(db.update(Notification).values(created_at=utcnow() - timedelta(seconds=121)))
        db.session.execute(db.update(Job).values(run_at=utcnow()))
        db.session.commit()
    runner.run_due()
    (message,) = to(outbox(app), "amina@example.org")
    assert "(and 1 more)" in message["Subject"] and "One" in text_of(message) and "Two" in text_of(message)

    make.reply(thread, author=make.user(), parent=first, body="Three")
    client_for(app, author).post("/notifications/read-all")
    with app.app_context():
        db.session.execute(db.update(Notification).values(created_at=utcnow() - timedelta(seconds=121)))
        db.session.execute(db.update(Job).values(run_at=utcnow()))
        db.session.commit()
    runner.run_due()
    assert len(to(outbox(app), "amina@example.org")) == 1  # read on the site before the mail went


def test_a_post_taken_down_before_the_mail_goes_is_not_mailed(app, make):
    app.config["MAIL_BATCH_SECONDS"] = 120
    author = make.user("amina")
    thread = make.thread(author=author)
    reply = make.reply(thread, author=make.user(), parent=make.opening_post(thread), body="Spam spam")
    make.hidden(reply)
    with app.app_context():
        db.session.execute(db.update(Notification).values(created_at=utcnow() - timedelta(seconds=121)))
        db.session.execute(db.update(Job).values(run_at=utcnow()))
        db.session.commit()
    app.extensions["majlis_jobs"].run_due()
    assert [m for m in to(outbox(app), "amina@example.org") if "Spam" in text_of(m)] == []


def test_a_mail_is_written_in_the_readers_language(app, make):
    author = make.user("amina", locale="ar")
    thread = make.thread(author=author, title="النطاق العريض")
    make.reply(thread, author=make.user("samir"), parent=make.opening_post(thread))
    (message,) = to(outbox(app), "amina@example.org")
    assert '<html lang="ar" dir="rtl">' in html_of(message)
    assert "ردّ" in message["Subject"] or "رد" in message["Subject"]


def test_one_click_unsubscribe_needs_no_cookies_and_stops_that_group(app, make, csrf_app):
    author = make.user("amina")
    thread = make.thread(author=author)
    make.reply(thread, author=make.user(), parent=make.opening_post(thread))
    (message,) = to(outbox(app), "amina@example.org")
    path = _unsubscribe_path(message)
    anonymous = app.test_client()
    assert "Stop these mails" in anonymous.get(path).get_data(as_text=True)
    response = anonymous.post(path, data={"List-Unsubscribe": "One-Click"})  # what a mail client sends
    assert response.status_code == 200 and "no more of these mails" in response.get_data(as_text=True)
    make.reply(thread, author=make.user(), parent=make.opening_post(thread))
    assert len(to(outbox(app), "amina@example.org")) == 1
    assert anonymous.post(path[:-3] + "abc").status_code == 404  # tampered


def test_mail_settings_turn_a_group_on_and_off(app, make):
    member = make.user("amina")
    client = client_for(app, member)
    page = client.get("/settings/mail").get_data(as_text=True)
    assert "Replies to my posts" in page and "Replies in threads I follow" in page
    assert client.post("/settings/mail", data={"reply": "off", "mention": "immediate", "followed_thread": "immediate",
                                                "followed_community": "off", "contributions": "immediate",
                                                "moderation": "immediate"}).status_code == 302  # fmt: skip
    thread = make.thread(author=member)
    make.reply(thread, author=make.user(), parent=make.opening_post(thread))
    assert to(outbox(app), "amina@example.org") == []  # replies are off
    refused = client.post("/settings/mail", data={"reply": "sometimes"})
    assert refused.status_code == 400


def test_an_unconfirmed_address_gets_no_notification_mail(app, make):
    author = make.user("amina", confirmed=False)
    thread = make.thread(author=author)
    make.reply(thread, author=make.user(), parent=make.opening_post(thread))
    assert [m for m in to(outbox(app), "amina@example.org") if "replied" in m["Subject"]] == []


def test_a_member_reading_the_thread_live_gets_no_mail_for_it(app, make):
    from app.realtime import presence, rooms

    app.config["MAIL_BATCH_SECONDS"] = 120
    author = make.user("amina")
    thread = make.thread(author=author)
    make.reply(thread, author=make.user(), parent=make.opening_post(thread), body="Seen live")
    presence.store().enter(rooms.thread(thread.id), "sid-amina", f"u{author.id}", True)
    try:
        with app.app_context():
            db.session.execute(db.update(Notification).values(created_at=utcnow() - timedelta(seconds=121)))
            db.session.execute(db.update(Job).values(run_at=utcnow()))
            db.session.commit()
        app.extensions["majlis_jobs"].run_due()
    finally:
        presence.store().leave(rooms.thread(thread.id), "sid-amina")
    assert to(outbox(app), "amina@example.org") == []


def test_a_decision_on_a_contribution_is_mailed_with_its_reference(app, make):
    consultation = make.consultation()
    author = make.user("amina")
    contribution = make.contribution(consultation, author=author, state="accepted")
    (mail,) = to(outbox(app), "amina@example.org")  # screened, then accepted: one mail
    assert contribution.reference in mail["Subject"]
    assert f"Your contribution {contribution.reference}" in text_of(mail) and "was accepted" in text_of(mail)
    assert "Accepted: see session 3." in text_of(mail)
