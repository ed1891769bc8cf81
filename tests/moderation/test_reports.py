"""Reports, the threshold that hides an item pending review, and the review queue's decisions."""

import pytest

from app.core.audit import AuditEntry
from app.discussions.models import Post, Thread
from app.extensions import db
from app.moderation.models import Report, ReviewItem
from tests.moderation.helpers import audit_actions
from tests.support.pages import select, texts


def _report(client, auth, user, post, reason="spam", note=""):
    auth.login(user)
    return client.post(f"/moderation/report/post/{post.id}", data={"reason": reason, "note": note})


def test_one_open_report_per_member_per_item(app, client, auth, make):
    thread = make.thread()
    post = make.reply(thread)
    reporter = make.user()
    assert _report(client, auth, reporter, post).status_code == 302
    again = _report(client, auth, reporter, post, reason="offensive")
    assert again.status_code == 400
    assert "already reported" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Report.id))).scalar() == 1


def test_other_needs_a_note_and_own_posts_cannot_be_reported(app, client, auth, make):
    author = make.user()
    thread = make.thread(author=author)
    post = make.reply(thread, author=author)
    reporter = make.user()
    assert _report(client, auth, reporter, post, reason="other").status_code == 400
    assert _report(client, auth, reporter, post, reason="other", note="Copied text").status_code == 302
    assert _report(client, auth, author, post).status_code == 403
    assert _report(client, auth, reporter, post, reason="not-a-reason").status_code == 400


@pytest.mark.parametrize("threshold, reporters, hidden", [(3, 2, False), (3, 3, True), (2, 2, True)])
def test_item_reported_by_enough_people_is_hidden_pending_review(
    app, client, auth, make, threshold, reporters, hidden
):
    app.config["REPORT_HIDE_THRESHOLD"] = threshold
    thread = make.thread()
    post = make.reply(thread)
    child = make.reply(thread, parent=post, body="A reply that stays")
    for _ in range(reporters):
        assert _report(client, auth, make.user(), post).status_code == 302
    assert (make.get(Post, post.id).hidden_at is not None) is hidden
    assert audit_actions(app).count(("auto_hide", "post", post.id)) == (1 if hidden else 0)
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert ("This post was hidden by a moderator." in texts(page, f"#p{post.id} p.placeholder")) is hidden
    assert "A reply that stays" in page and select(page, f"article#p{child.id}")


def test_the_same_member_reporting_twice_does_not_reach_the_threshold(app, client, auth, make):
    app.config["REPORT_HIDE_THRESHOLD"] = 2
    thread = make.thread()
    post = make.reply(thread)
    reporter = make.user()
    _report(client, auth, reporter, post)
    _report(client, auth, reporter, post)
    assert make.get(Post, post.id).hidden_at is None


def test_queue_groups_reports_per_item_with_counts_and_reasons(app, client, auth, make):
    thread = make.thread()
    post = make.reply(thread, body="Buy cheap watches")
    _report(client, auth, make.user(), post, reason="spam")
    _report(client, auth, make.user(), post, reason="offensive", note="Rude and commercial")
    auth.login(make.moderator())
    page = client.get("/moderation").get_data(as_text=True)
    assert len(select(page, ".review-item")) == 1
    assert "2 reports" in page and "Spam: 1" in page and "Offensive: 1" in page
    assert "Rude and commercial" in page and "Buy cheap watches" in page


def test_other_communities_items_are_not_in_a_moderators_queue(app, client, auth, make):
    post = make.reply(make.thread(community="c1"), body="Elsewhere entirely")
    _report(client, auth, make.user(), post)
    auth.login(make.moderator("c7-e-health"))
    assert "Elsewhere entirely" not in client.get("/moderation").get_data(as_text=True)
    auth.login(make.admin())
    assert "Elsewhere entirely" in client.get("/moderation").get_data(as_text=True)


@pytest.mark.parametrize(
    "decision, auto_hidden, hidden_after",
    [
        ("approve", True, False),
        ("approve", False, False),
        ("hide", False, True),
        ("dismiss", False, False),
        ("dismiss", True, True),
    ],
)
def test_decisions(app, client, auth, make, decision, auto_hidden, hidden_after):
    app.config["REPORT_HIDE_THRESHOLD"] = 1 if auto_hidden else 3
    post = make.reply(make.thread())
    _report(client, auth, make.user(), post)
    with app.app_context():
        item_id = db.session.execute(db.select(ReviewItem.id)).scalar_one()
    auth.login(make.moderator())
    assert client.post(f"/moderation/items/{item_id}/claim").status_code == 302
    assert client.post(f"/moderation/items/{item_id}/decide", data={"decision": decision}).status_code == 400
    response = client.post(
        f"/moderation/items/{item_id}/decide", data={"decision": decision, "note": "Checked"}
    )
    assert response.status_code == 302
    assert (make.get(Post, post.id).hidden_at is not None) is hidden_after
    with app.app_context():
        item = db.session.get(ReviewItem, item_id)
        assert item.state == "resolved" and item.decision == decision and item.note == "Checked"
        assert all(report.closed_at is not None for report in item.reports)
        entry = db.session.execute(db.select(AuditEntry).filter_by(action=f"review_{decision}")).scalar_one()
        assert entry.reason == "Checked" and entry.after["hidden"] is hidden_after
    assert [a for a, _t, _i in audit_actions(app) if a.startswith("review_")] == [
        "review_claim",
        f"review_{decision}",
    ]
    again = client.post(f"/moderation/items/{item_id}/decide", data={"decision": "hide", "note": "x"})
    assert again.status_code == 400
    # A decided item leaves the queue; a new report opens a new item.
    assert select(client.get("/moderation").get_data(as_text=True), ".review-item") == []


def test_reporting_a_thread_hides_the_thread_at_the_threshold(app, client, auth, make):
    app.config["REPORT_HIDE_THRESHOLD"] = 2
    thread = make.thread()
    for _ in range(2):
        auth.login(make.user())
        assert (
            client.post(f"/moderation/report/thread/{thread.id}", data={"reason": "spam"}).status_code == 302
        )
    assert make.get(Thread, thread.id).hidden_at is not None
    auth.login(make.user())
    assert client.get(f"/t/{thread.id}").status_code == 404


def test_silenced_members_cannot_report(app, client, auth, make):
    from datetime import timedelta

    from app.core.time import utcnow

    post = make.reply(make.thread())
    silenced = make.user(silenced_until=utcnow() + timedelta(hours=1))
    assert _report(client, auth, silenced, post).status_code == 403
