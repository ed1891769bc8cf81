"""Bookmarks: a member bookmarks a thread or a post, finds them on /bookmarks, sets a reminder that
arrives as a notification at that time (not before, not after the bookmark is gone), and removes
them; nobody else sees or touches them, and what they may no longer read leaves the list."""

from datetime import timedelta

from app.core.time import utcnow
from app.discussions.models import Bookmark
from app.extensions import db
from app.jobs.models import Job
from app.notifications.models import Notification
from tests.support.clients import client_for


def _bookmarks_page(client) -> str:
    response = client.get("/bookmarks")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_member_bookmarks_a_thread_and_a_post_and_finds_both(app, make):
    thread = make.thread(title="Digital skills for teachers")
    reply = make.reply(thread, body="A reply worth keeping.")
    member = make.user("amina")
    client = client_for(app, member)
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert f'action="/p/{reply.id}/bookmark"' in page and f'action="/t/{thread.id}/bookmark"' in page
    assert client.post(f"/t/{thread.id}/bookmark").status_code == 302
    assert client.post(f"/p/{reply.id}/bookmark").status_code == 302
    listed = _bookmarks_page(client)
    assert "Digital skills for teachers" in listed and f"/p/{reply.id}" in listed
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert (
        'aria-pressed="true"' in page and f'action="/p/{reply.id}/bookmark"' not in page
    )  # shown as bookmarked
    assert (
        "Bookmark" not in client_for(app).get(f"/t/{thread.id}").get_data(as_text=True).split("<footer")[-1]
    )


def test_a_reminder_arrives_at_its_time_as_a_notification(app, make):
    thread = make.thread(title="Remind me about this")
    member = make.user("amina")
    client = client_for(app, member)
    client.post(f"/t/{thread.id}/bookmark", data={"remind": "tomorrow"})
    runner = app.extensions["majlis_jobs"]
    runner.run_due()
    with app.app_context():
        assert db.session.execute(db.select(Notification).filter_by(user_id=member.id)).first() is None
        db.session.execute(db.update(Job).values(run_at=utcnow() - timedelta(seconds=1)))
        db.session.execute(db.update(Bookmark).values(remind_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    runner.run_due()
    notices = client.get("/notifications").get_data(as_text=True)
    assert "Reminder: you bookmarked" in notices and "Remind me about this" in notices
    runner.run_due()
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Notification.id))).scalar() == 1  # once


def test_a_removed_bookmark_sends_no_reminder_and_others_cannot_touch_it(app, make):
    thread = make.thread(title="Changed my mind")
    member = make.user("amina")
    client = client_for(app, member)
    client.post(f"/t/{thread.id}/bookmark", data={"remind": "hour"})
    with app.app_context():
        bookmark_id = db.session.execute(db.select(Bookmark.id)).scalar()
    assert client_for(app, make.user("samir")).post(f"/bookmarks/{bookmark_id}/remove").status_code == 404
    assert client.post(f"/bookmarks/{bookmark_id}/remove").status_code == 302
    with app.app_context():
        db.session.execute(db.update(Job).values(run_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    app.extensions["majlis_jobs"].run_due()
    with app.app_context():
        assert db.session.execute(db.select(Notification)).first() is None
    assert "Changed my mind" not in _bookmarks_page(client)


def test_bad_input_is_refused_and_what_one_may_not_read_leaves_the_list(app, make):
    member = make.user("amina")
    client = client_for(app, member)
    thread = make.thread(title="Soon hidden")
    refused = client.post(f"/t/{thread.id}/bookmark", data={"remind": "someday"}, follow_redirects=True)
    assert "Choose one of the reminder times offered." in refused.get_data(as_text=True)
    client.post(f"/t/{thread.id}/bookmark")
    make.hidden(thread)
    assert "Soon hidden" not in _bookmarks_page(client)
    assert client.post(f"/t/{thread.id}/bookmark").status_code == 404
    assert client_for(app).post(f"/t/{thread.id}/bookmark").status_code == 302  # sign in first
    assert client_for(app).get("/bookmarks").status_code == 302
