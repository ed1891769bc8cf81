"""Replay never hands back text that moderation or its author took down (issue 13, item 1).

A reader who joins with `since: 0` gets the room's stored history. Whatever was hidden, deleted,
rejected or edited since must not come back through it: not for an anonymous reader, not for a member.
"""

import json

import pytest

from app.communities.models import Community
from app.discussions import services as discussion_services
from app.discussions.models import Post, Thread
from app.extensions import db
from app.moderation.models import ReviewItem
from app.moderation.services import content, review, users


def join(sio, thread_id, since=0):
    return sio.emit("join", {"kind": "thread", "id": thread_id, "since": since}, callback=True)


@pytest.fixture
def taken_down(app, make):
    """A thread whose history holds a hidden, a deleted, a queue-hidden, a rejected and an edited post."""
    moderator = make.moderator()
    author = make.user("author")
    thread = make.thread(author=author)
    hidden = make.reply(thread, author=author, body="SECRET-hidden by a moderator")
    deleted = make.reply(thread, author=author, body="SECRET-deleted by its author")
    reported = make.reply(thread, author=author, body="SECRET-reported and hidden in the queue")
    edited = make.reply(thread, author=author, body="SECRET-before the edit")
    reporter = make.user("reporter")
    with app.app_context():
        mod = db.session.merge(moderator)
        content.hide_post(db.session.get(Post, hidden.id), mod, "off-topic")
        discussion_services.delete_post(db.session.get(Post, deleted.id), db.session.merge(author))
        review.report(db.session.merge(reporter), db.session.get(Post, reported.id), "spam")
        review.decide(review.open_item_for("post", reported.id), mod, "hide", "spam indeed")
        discussion_services.edit_post(
            db.session.get(Post, edited.id), db.session.merge(author), "after the edit"
        )
        db.session.execute(
            db.select(Community).filter_by(slug="c7-e-health")
        ).scalar_one().approve_new_posts = True
        db.session.commit()
    held = make.reply(thread, author=author, body="SECRET-rejected in the approval queue")
    with app.app_context():
        item = db.session.execute(db.select(ReviewItem).filter_by(target_id=held.id, held=True)).scalar_one()
        review.decide(item, db.session.merge(moderator), "reject", "not on topic")
        db.session.commit()
    return thread


@pytest.mark.parametrize("reader", ["anonymous", "member", "suspended member's old cookie"])
def test_replay_from_zero_carries_no_removed_or_superseded_text(
    app, make, auth, client, socket_for, taken_down, reader
):
    if reader != "anonymous":
        member = auth.login(make.user("member"))
    if reader.startswith("suspended"):
        admin = make.admin()  # before the context: its session would wait for this one's write lock
        with app.app_context():
            users.suspend(db.session.merge(member), db.session.merge(admin), users.until_for("30d"), "abuse")
            db.session.commit()
    ack = join(socket_for(client), taken_down.id)
    assert ack["ok"] and len(ack["events"]) >= 5
    replayed = json.dumps(ack, ensure_ascii=False)
    assert "SECRET" not in replayed
    # What the page then shows for the replayed posts is the current row, as a reload shows it.
    ids = sorted({event["data"]["post_id"] for event in ack["events"] if "post_id" in event["data"]})
    shown = client.get(f"/t/{taken_down.id}/posts?ids={','.join(map(str, ids))}").get_json()
    markup = " ".join(post["html"] for post in shown["posts"])
    assert "SECRET" not in markup
    assert "after the edit" in markup
    assert "This post was hidden by a moderator." in markup and "This post was deleted." in markup


def test_community_replay_names_no_thread_title(app, make, client, socket_for):
    """A moderator renames an offensive title, then hides the thread: the community room's history
    holds neither title, and the thread page learns a new title from the current row."""
    moderator = make.moderator()
    thread = make.thread(title="SECRET offensive title")
    kept = make.thread(title="A thread that stays")
    with app.app_context():
        mod = db.session.merge(moderator)
        content.retitle_thread(db.session.get(Thread, kept.id), mod, "A clearer title", "clarity")
        content.retitle_thread(db.session.get(Thread, thread.id), mod, "SECRET renamed", "offensive")
        content.hide_thread(db.session.get(Thread, thread.id), mod, "off-topic")
        db.session.commit()
        community_id = thread.community_id
    sio = socket_for(client)
    ack = sio.emit("join", {"kind": "community", "id": community_id, "since": 0}, callback=True)
    assert ack["ok"] and ack["events"]
    assert "SECRET" not in json.dumps(ack, ensure_ascii=False)
    assert client.get(f"/t/{kept.id}/posts?ids=").get_json()["title"] == "A clearer title"
    assert client.get(f"/t/{thread.id}/posts?ids=").status_code == 404
