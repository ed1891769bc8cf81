"""The notification centre: who is notified of what, the bell, marking read."""

from app.extensions import db
from app.notifications.models import Notification
from tests.support.clients import AuthActions
from tests.support.pages import select, select_one


def notifications_of(app, user):
    with app.app_context():
        rows = db.session.execute(
            db.select(Notification).filter_by(user_id=user.id).order_by(Notification.id)
        ).scalars()
        return [(row.kind, row.read_at is None) for row in rows]


def test_reply_to_your_post_notifies_you_once(client, auth, make, app):
    author = make.user("author")
    thread = make.thread(author=author)
    auth.login(make.user("replier"))
    client.post(f"/t/{thread.id}/reply", data={"body": "Thanks @author for this"})
    # The opening post's author follows the thread, was replied to and mentioned: one notification.
    assert notifications_of(app, author) == [("reply", True)]


def test_mention_links_profile_and_notifies(client, auth, make, app):
    mentioned = make.user("fatima")
    thread = make.thread()
    auth.login(make.user())
    client.post(f"/t/{thread.id}/reply", data={"body": "What does @fatima think? And @nobody?"})
    assert notifications_of(app, mentioned) == [("mention", True)]
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert '<a href="/u/fatima" rel="nofollow">@fatima</a>' in page and "/u/nobody" not in page


def test_followers_of_thread_and_community_are_notified(client, auth, make, app):
    follower = make.user("follower")
    thread = make.thread()
    make.reply(thread, author=follower)  # replying follows the thread
    community_follower = make.user("watcher")
    AuthActions(watcher_client := app.test_client()).login(community_follower)
    watcher_client.post("/c/c7-e-health/follow")
    auth.login(make.user("someone"))
    client.post(f"/t/{thread.id}/reply", data={"body": "Another voice"})
    client.post("/c/c7-e-health/new", data={"title": "Second thread here", "body": "Opening words"})
    assert ("thread_reply", True) in notifications_of(app, follower)
    assert notifications_of(app, community_follower) == [("new_thread", True)]


def test_unfollowed_thread_stays_quiet(client, auth, make, app):
    follower = make.user("follower")
    thread = make.thread()
    make.reply(thread, author=follower)
    AuthActions(follower_client := app.test_client()).login(follower)
    follower_client.post(f"/t/{thread.id}/unfollow")
    auth.login(make.user())
    client.post(f"/t/{thread.id}/reply", data={"body": "Nobody hears this"})
    assert notifications_of(app, follower) == []


def test_no_notification_about_threads_the_user_cannot_read(client, auth, make, app):
    closed = make.restricted_community()
    outsider = make.user("outsider")
    insider = make.user("insider")
    make.member_of(closed, insider)
    thread = make.thread(closed.slug, author=insider)
    AuthActions(client).login(insider)
    client.post(f"/t/{thread.id}/reply", data={"body": "Hello @outsider"})
    assert notifications_of(app, outsider) == []


def test_bell_count_list_and_mark_read(client, auth, make, app):
    author = make.user("author")
    thread = make.thread(author=author)
    opening = make.opening_post(thread)
    make.reply(thread, parent=opening, body="one")
    make.reply(thread, parent=opening, body="two")
    auth.login(author)
    home = client.get("/").get_data(as_text=True)
    assert select_one(home, "#notification-count").text == "2"
    page = client.get("/notifications").get_data(as_text=True)
    assert len(select(page, ".notification.unread")) == 2 and "replied to your post" in page
    first_id = db_first_notification_id(app, author)
    response = client.post(f"/notifications/{first_id}/read")
    assert response.status_code == 302 and response.headers["Location"].startswith("/p/")
    assert notifications_of(app, author).count(("reply", True)) == 1
    client.post("/notifications/read-all")
    assert notifications_of(app, author) == [("reply", False), ("reply", False)]
    assert 'id="notification-count" hidden>0</span>' in client.get("/").get_data(as_text=True)


def db_first_notification_id(app, user):
    with app.app_context():
        return db.session.execute(db.select(Notification.id).filter_by(user_id=user.id)).scalars().first()


def test_someone_elses_notification_is_404(client, auth, make, app):
    author = make.user("author")
    thread = make.thread(author=author)
    make.reply(thread)
    auth.login(make.user("intruder"))
    assert client.post(f"/notifications/{db_first_notification_id(app, author)}/read").status_code == 404
    assert client.get("/notifications").status_code == 200


def test_notifications_need_sign_in(client):
    assert client.get("/notifications").status_code == 302
