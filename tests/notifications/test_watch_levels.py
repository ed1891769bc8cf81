"""Watch levels decide who is told of a new post: watching a thread or a community tells of every
post, tracking tells of none (the post is only counted), following a community tells of new threads,
and muting silences replies and mentions too."""

from tests.notifications.test_notifications import notifications_of
from tests.support.clients import client_for


def test_each_thread_level_tells_what_it_promises(app, make):
    thread = make.thread()
    watcher, tracker, muter = make.user("watcher"), make.user("tracker"), make.user("muter")
    for member, level in ((watcher, "watching"), (tracker, "tracking"), (muter, "muted")):
        assert client_for(app, member).post(f"/t/{thread.id}/level/{level}").status_code == 302
    muter_post = make.reply(thread, author=muter, body="A post the muter wrote before muting.")
    make.reply(thread, parent=muter_post, body="A reply to @muter and @tracker here.")
    assert notifications_of(app, watcher) == [("thread_reply", True)] * 2  # both replies
    assert notifications_of(app, tracker) == [("mention", True)]  # tracking: counted, mentions still reach
    assert notifications_of(app, muter) == []  # muted: not the reply to them, not the mention


def test_watching_a_community_tells_of_every_post_following_it_of_new_threads(app, make):
    watcher, follower, muter = make.user("cwatcher"), make.user("cfollower"), make.user("cmuter")
    client_for(app, watcher).post("/c/c7-e-health/level/watching")
    client_for(app, follower).post("/c/c7-e-health/follow")
    client_for(app, muter).post("/c/c7-e-health/level/muted")
    thread = make.thread(body="Opening post mentioning @cmuter.")
    make.reply(thread, body="A reply in the community.")
    assert notifications_of(app, watcher) == [("new_thread", True), ("thread_reply", True)]
    assert notifications_of(app, follower) == [("new_thread", True)]
    assert notifications_of(app, muter) == []


def test_muting_the_thread_beats_watching_its_community(app, make):
    member = make.user("picky")
    thread = make.thread()
    client = client_for(app, member)
    client.post("/c/c7-e-health/level/watching")
    client.post(f"/t/{thread.id}/level/muted")
    make.reply(thread, body="Nobody muting this thread should hear of it.")
    assert notifications_of(app, member) == []


def test_the_level_menu_shows_the_current_level_and_normal_removes_it(app, make):
    member = make.user()
    thread = make.thread()
    client = client_for(app, member)
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Notifications: Normal" in page
    client.post(f"/t/{thread.id}/level/tracking")
    assert "Notifications: Tracking" in client.get(f"/t/{thread.id}").get_data(as_text=True)
    client.post(f"/t/{thread.id}/level/normal")
    assert "Notifications: Normal" in client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Notifications:" not in client_for(app).get(f"/t/{thread.id}").get_data(as_text=True)
