"""Hide/restore with placeholders, lock, slow mode and moderator edits and deletes on the record."""

import re

from app.core import signals
from app.core.audit import AuditEntry
from app.discussions.models import Post, Thread
from app.extensions import db
from tests.moderation.helpers import audit_actions


def test_hidden_post_shows_a_placeholder_and_keeps_its_replies(app, client, auth, make):
    thread = make.thread()
    post = make.reply(thread, body="Something rude")
    child = make.reply(thread, parent=post, body="A calm answer")
    grandchild = make.reply(thread, parent=child, body="Another calm answer")
    moderator = auth.login(make.moderator())
    seen = []
    signals.post_removed.connect(receiver := lambda sender, **kw: seen.append((sender.id, kw["actor"].id)))
    try:
        response = client.post(f"/moderation/p/{post.id}/hide", data={"hide-reason": "Insults"})
    finally:
        signals.post_removed.disconnect(receiver)
    assert response.status_code == 302
    assert seen == [(post.id, moderator.id)]
    hidden = make.get(Post, post.id)
    assert hidden.hidden_at is not None and hidden.hidden_by_id == moderator.id
    auth.login(make.user())
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert (
        '<p class="placeholder">This post was hidden by a moderator.' in page and "Something rude" not in page
    )
    assert "A calm answer" in page and "Another calm answer" in page
    assert f'data-parent-id="{post.id}"' in page and f'id="p{grandchild.id}"' in page


def test_restore_clears_the_hidden_fields_and_signals(app, client, auth, make):
    thread = make.thread()
    post = make.reply(thread, body="Fine after all")
    auth.login(make.moderator())
    client.post(f"/moderation/p/{post.id}/hide", data={"hide-reason": "Check"})
    seen = []
    signals.post_restored.connect(receiver := lambda sender, **kw: seen.append(sender.id))
    try:
        assert client.post(f"/moderation/p/{post.id}/restore", data={"hide-reason": "OK"}).status_code == 302
    finally:
        signals.post_restored.disconnect(receiver)
    restored = make.get(Post, post.id)
    assert restored.hidden_at is None and restored.hidden_by_id is None and seen == [post.id]
    assert [a for a, _t, _i in audit_actions(app)] == ["hide_post", "restore_post"]


def test_hide_needs_a_reason_and_keeps_what_was_typed(app, client, auth, make):
    post = make.reply(make.thread())
    auth.login(make.moderator())
    response = client.post(f"/moderation/p/{post.id}/hide", data={"hide-reason": ""})
    assert response.status_code == 400
    assert make.get(Post, post.id).hidden_at is None
    assert audit_actions(app) == []


def test_locked_thread_refuses_replies_and_shows_a_notice(app, client, auth, make):
    thread = make.thread()
    auth.login(make.moderator())
    changes = []
    signals.thread_changed.connect(receiver := lambda sender, **kw: changes.append(kw["change"]))
    try:
        assert (
            client.post(f"/moderation/t/{thread.id}/lock", data={"flag-reason": "Heated"}).status_code == 302
        )
        assert client.post(f"/moderation/t/{thread.id}/pin").status_code == 302
    finally:
        signals.thread_changed.disconnect(receiver)
    assert changes == ["lock", "pin"]
    stored = make.get(Thread, thread.id)
    assert stored.locked and stored.pinned
    auth.login(make.user())
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "This thread is locked: no new replies." in page
    assert client.post(f"/t/{thread.id}/reply", data={"body": "Me too"}).status_code == 403


def test_repeating_a_state_is_refused_without_audit(app, client, auth, make):
    thread = make.thread()
    auth.login(make.moderator())
    assert client.post(f"/moderation/t/{thread.id}/unlock").status_code == 400
    assert client.post(f"/moderation/t/{thread.id}/slow-mode", data={"slow-seconds": "0"}).status_code == 400
    assert client.post(f"/moderation/t/{thread.id}/slow-mode", data={"slow-seconds": "17"}).status_code == 400
    assert audit_actions(app) == []


def test_moderator_edit_of_someone_elses_post_is_audited_with_its_reason(app, client, auth, make):
    author = make.user()
    post = make.reply(make.thread(), author=author, body="Call me on +41 22 555 55 55")
    auth.login(author)
    client.post(f"/p/{post.id}/edit", data={"body": "Call me maybe", "reason": "typo"})
    assert audit_actions(app) == []  # authors editing their own posts are not moderation
    auth.login(make.moderator())
    response = client.post(
        f"/p/{post.id}/edit", data={"body": "Call me [number removed]", "reason": "Personal data"}
    )
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.execute(db.select(AuditEntry)).scalar_one()
        assert (entry.action, entry.target_id, entry.reason) == ("edit_post", post.id, "Personal data")
    assert "Personal data" in client.get(f"/p/{post.id}/history").get_data(as_text=True)


def test_moderator_delete_of_someone_elses_post_is_audited_once(app, client, auth, make):
    post = make.reply(make.thread())
    auth.login(make.moderator())
    assert client.post(f"/p/{post.id}/delete").status_code == 302
    assert audit_actions(app) == [("delete_post", "post", post.id)]


def test_public_moderation_log_hides_people(app, client, auth, make):
    post = make.reply(make.thread())
    moderator = make.moderator(username="facilitator_x")
    member = make.user(username="member_y")
    auth.login(moderator)
    client.post(f"/moderation/p/{post.id}/hide", data={"hide-reason": "Contains member_y's phone"})
    client.post(f"/moderation/u/{member.username}/warn", data={"warn-reason": "be kind"})
    unpublished = client.get("/c/c7-e-health/moderation-log").get_data(as_text=True)
    assert "This community does not publish its moderation log." in unpublished
    assert "A moderator hid a post in" not in re.sub(r"<[^>]+>", "", unpublished)
    auth.login(make.admin())
    assert client.post("/moderation/c/c7-e-health/public-log/on").status_code == 302
    auth.logout()
    page = client.get("/c/c7-e-health/moderation-log").get_data(as_text=True)
    assert "A moderator hid a post in" in re.sub(r"<[^>]+>", "", page)
    for personal in ("facilitator_x", "member_y", "phone", "warned"):
        assert personal not in page


def test_audit_log_scopes(app, client, auth, make):
    health_post = make.reply(make.thread())
    other_post = make.reply(make.thread(community="c1"))
    health_mod = make.moderator("c7-e-health")
    other_mod = make.moderator("c1")
    auth.login(health_mod)
    client.post(f"/moderation/p/{health_post.id}/hide", data={"hide-reason": "reason-in-health"})
    auth.login(other_mod)
    client.post(f"/moderation/p/{other_post.id}/hide", data={"hide-reason": "reason-in-c1"})
    page = client.get("/moderation/log").get_data(as_text=True)
    assert "reason-in-c1" in page and "reason-in-health" not in page
    auth.login(make.admin())
    page = client.get("/moderation/log").get_data(as_text=True)
    assert "reason-in-c1" in page and "reason-in-health" in page
