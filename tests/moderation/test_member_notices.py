"""Members are told what a moderator did to them or their writing, and why, through the notification
centre: stored, described in their language, linked to a page that checks who may see it, and live."""

import re
from datetime import timedelta

import pytest
from flask_babel import format_datetime

from app.core.time import utcnow
from app.extensions import db
from app.moderation.models import ReviewItem
from app.notifications.models import Notification
from app.realtime.models import RoomEvent
from tests.support.clients import AuthActions


def notices(app, user):
    with app.app_context():
        rows = db.session.execute(
            db.select(Notification).filter_by(user_id=user.id).order_by(Notification.id)
        ).scalars()
        return [(row.id, row.kind, row.url) for row in rows]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def centre_text(app, user) -> str:
    """The member's notification centre (signed in as they are now), as text with tags removed."""
    with app.app_context():
        user = db.session.get(type(user), user.id)
    client = app.test_client()
    AuthActions(client).login(user)
    page = client.get("/notifications").get_data(as_text=True)
    return flat(re.sub(r"<[^>]+>", "", page))


def live_notification_kinds(app, user) -> list[str]:
    with app.app_context():
        rows = db.session.execute(
            db.select(RoomEvent)
            .filter_by(room=f"user:{user.id}", event="notification")
            .order_by(RoomEvent.seq)
        ).scalars()
        return [row.envelope()["data"]["kind"] for row in rows]


def opened_link(app, user, notification_id):
    """Open the notification as `user` (marks it read) and return where it leads."""
    client = app.test_client()
    AuthActions(client).login(user)
    response = client.post(f"/notifications/{notification_id}/read")
    assert response.status_code == 302
    return response.headers["Location"]


def test_author_is_told_a_post_was_hidden_and_why(app, client, auth, make):
    closed = make.restricted_community()
    author, outsider = make.user("writer"), make.user("outsider")
    make.member_of(closed, author)
    thread = make.thread(closed.slug, author=author)
    post = make.reply(thread, author=author, body="Something rude")
    auth.login(make.admin())
    assert (
        client.post(f"/moderation/p/{post.id}/hide", data={"hide-reason": "Personal attack"}).status_code
        == 302
    )
    [(notice_id, kind, url)] = notices(app, author)
    assert kind == "post_hidden" and url == f"/p/{post.id}"
    text = centre_text(app, author)
    assert "A moderator hid your post in “Telemedicine in rural clinics”. Reason: Personal attack" in text
    assert "post_hidden" in live_notification_kinds(app, author)
    link = opened_link(app, author, notice_id)
    reader = app.test_client()
    AuthActions(reader).login(author)
    assert reader.get(link).status_code == 302  # the permalink leads to the post's place in the thread
    stranger = app.test_client()
    AuthActions(stranger).login(outsider)
    assert stranger.get(link).status_code in (403, 404)  # the link checks who may read the thread


def test_author_is_told_a_thread_was_hidden_and_why(app, client, auth, make):
    author = make.user("starter")
    thread = make.thread(author=author, title="Buy cheap watches")
    auth.login(make.moderator())
    assert (
        client.post(f"/moderation/t/{thread.id}/hide", data={"hide-reason": "Advertising"}).status_code == 302
    )
    [(notice_id, kind, url)] = notices(app, author)
    assert kind == "thread_hidden" and url == ""
    assert "A moderator hid your thread “Buy cheap watches”. Reason: Advertising" in centre_text(app, author)
    # The hidden thread is out of the author's sight, so the notice leads to the notification centre.
    assert opened_link(app, author, notice_id).endswith("/notifications")


def test_author_is_told_of_an_automatic_hide_and_of_the_queue_decision(app, client, auth, make):
    from app.moderation import services

    author = make.user("reported")
    thread = make.thread()
    post = make.reply(thread, author=author, body="Spammy words")
    with app.app_context(), app.test_request_context():
        reporter = db.session.merge(make.user("reporter"))
        services.report(reporter, db.session.merge(post), "spam", threshold=1)
        db.session.commit()
        item_id = db.session.execute(db.select(ReviewItem.id)).scalar_one()
    [(_id, kind, _url)] = notices(app, author)
    assert kind == "post_hidden"
    assert "was hidden after several reports, until a moderator reviews it" in centre_text(app, author)
    # The moderator then hides a second reported post from the queue: its note is the reason.
    other = make.reply(thread, author=author, body="More spam")
    with app.app_context(), app.test_request_context():
        services.report(
            db.session.merge(make.user("reporter2")), db.session.merge(other), "spam", threshold=5
        )
        db.session.commit()
        second_item = db.session.execute(
            db.select(ReviewItem.id).where(ReviewItem.id != item_id)
        ).scalar_one()
    auth.login(make.moderator())
    response = client.post(
        f"/moderation/items/{second_item}/decide", data={"decision": "hide", "note": "Link farm"}
    )
    assert response.status_code == 302
    assert [kind for _i, kind, _u in notices(app, author)] == ["post_hidden", "post_hidden"]
    assert "Reason: Link farm" in centre_text(app, author)


def test_silenced_member_is_told_why_and_until_when(app, client, auth, make):
    member = make.user("loud")
    auth.login(make.moderator())
    response = client.post(
        f"/moderation/u/{member.username}/silence",
        data={"silence-duration": "1d", "silence-reason": "Flooding"},
    )
    assert response.status_code == 302
    [(notice_id, kind, _url)] = notices(app, member)
    assert kind == "silenced" and "silenced" in live_notification_kinds(app, member)
    with app.app_context():
        until = db.session.get(type(member), member.id).silenced_until
        with app.test_request_context():
            shown_until = flat(format_datetime(until))
    text = centre_text(app, member)
    assert (
        f"A moderator silenced you until {shown_until}: you can read but not post. Reason: Flooding" in text
    )
    assert opened_link(app, member, notice_id).endswith("/notifications")
    assert until - utcnow() > timedelta(hours=23)


def test_suspended_member_is_told_why_and_until_when(app, client, auth, make):
    member = make.user("banned")
    auth.login(make.admin())
    for duration, reason in (("7d", "Harassment"), ("forever", "Repeated harassment")):
        response = client.post(
            f"/moderation/u/{member.username}/suspend",
            data={"suspend-duration": duration, "suspend-reason": reason},
        )
        assert response.status_code == 302
    assert [kind for _i, kind, _u in notices(app, member)] == ["suspended", "suspended"]
    assert live_notification_kinds(app, member).count("suspended") == 2
    with app.app_context(), app.test_request_context():
        shown_until = format_datetime(utcnow() + timedelta(days=7))[:8]  # the date part at least
    with app.app_context():
        db.session.execute(db.update(type(member)).filter_by(id=member.id).values(suspended_until=None))
        db.session.commit()  # they read it once the suspension is over
    text = centre_text(app, member)
    assert (
        "Your account was suspended until " in text and shown_until in text and "Reason: Harassment" in text
    )
    assert "Your account was suspended until further notice. Reason: Repeated harassment" in text


def test_warning_goes_through_notify_and_reaches_the_bell_live(app, client, auth, make):
    member = make.user("warned")
    auth.login(make.moderator())
    client.post(f"/moderation/u/{member.username}/warn", data={"warn-reason": "Stay on topic"})
    assert live_notification_kinds(app, member) == ["warning"]
    with app.app_context():
        event = db.session.execute(db.select(RoomEvent).filter_by(room=f"user:{member.id}")).scalar_one()
        assert event.envelope()["data"]["unread"] == 1
    assert "A moderator sent you a warning: Stay on topic" in centre_text(app, member)


@pytest.mark.parametrize("duration", ["7d", "forever"])
def test_a_suspended_member_signing_in_is_told_until_when(app, client, auth, make, duration):
    """A suspended member cannot sign in to read the notice: the sign-in page says until when."""
    member = make.user("banned", password="a long enough password")
    auth.login(make.admin())
    client.post(f"/moderation/u/{member.username}/suspend",
                data={"suspend-duration": duration, "suspend-reason": "Harassment"})  # fmt: skip
    client.post("/auth/logout")
    response = client.post("/auth/login", data={"username": "banned", "password": "a long enough password"})
    assert response.status_code == 400
    page = " ".join(response.get_data(as_text=True).split())
    if duration == "forever":
        assert "This account is suspended until further notice." in page
    else:
        with app.app_context(), app.test_request_context():
            shown_until = format_datetime(utcnow() + timedelta(days=7))[:8]
        assert "This account is suspended until " in page and shown_until in page
