"""Warn, silence, suspend and lift: what each does to the member, each on the record once."""

import json

from app.auth.models import User
from app.core import signals
from app.core.audit import AuditEntry
from app.core.time import utcnow
from app.extensions import db
from app.notifications.models import Notification
from tests.moderation.helpers import audit_actions


def test_warning_is_a_private_notification_with_the_reason(app, client, auth, make):
    member = make.user()
    moderator = auth.login(make.moderator())
    assert (
        client.post(
            f"/moderation/u/{member.username}/warn", data={"warn-reason": "Stay on topic"}
        ).status_code
        == 302
    )
    with app.app_context():
        notice = db.session.execute(db.select(Notification).filter_by(user_id=member.id)).scalar_one()
        assert notice.kind == "warning" and notice.actor_id == moderator.id
        assert json.loads(notice.data_json) == {"reason": "Stay on topic"}
    assert audit_actions(app) == [("warn_user", "user", member.id)]


def test_silenced_member_can_read_but_not_post(app, client, auth, make):
    thread = make.thread()
    member = make.user()
    auth.login(make.moderator())
    response = client.post(
        f"/moderation/u/{member.username}/silence",
        data={"silence-duration": "1d", "silence-reason": "Flooding"},
    )
    assert response.status_code == 302
    auth.login(member)
    assert client.get(f"/t/{thread.id}").status_code == 200
    assert client.post(f"/t/{thread.id}/reply", data={"body": "Still here"}).status_code == 403
    assert client.post("/c/c7-e-health/new", data={"title": "New topic", "body": "Text"}).status_code == 403
    auth.login(make.moderator())
    assert (
        client.post(
            f"/moderation/u/{member.username}/lift-silence", data={"lift-reason": "Apologised"}
        ).status_code
        == 302
    )
    auth.login(member)
    assert client.post(f"/t/{thread.id}/reply", data={"body": "Thanks"}).status_code == 302
    assert [a for a, _t, _i in audit_actions(app)] == ["silence_user", "unsilence_user"]


def test_suspension_ends_sessions_and_blocks_sign_in(app, client, auth, make):
    member = make.user(password="a long enough password")
    auth.login(member)
    assert client.get("/settings").status_code == 200
    moderator_client = app.test_client()
    with moderator_client.session_transaction() as session:
        session["_user_id"] = make.moderator().get_id()
    revoked = []
    signals.user_sessions_revoked.connect(receiver := lambda sender, **kw: revoked.append(sender.id))
    try:
        response = moderator_client.post(
            f"/moderation/u/{member.username}/suspend",
            data={"suspend-duration": "forever", "suspend-reason": "Harassment"},
        )
    finally:
        signals.user_sessions_revoked.disconnect(receiver)
    assert response.status_code == 302 and revoked == [member.id]
    stored = make.get(User, member.id)
    assert stored.is_suspended and stored.session_version == member.session_version + 1
    # The open session is over, and signing in again is refused.
    assert client.get("/settings").status_code == 302
    auth.logout()
    refused = client.post(
        "/auth/login", data={"username": member.username, "password": "a long enough password"}
    )
    assert refused.status_code == 400 and "suspended" in refused.get_data(as_text=True)
    wrong = client.post("/auth/login", data={"username": member.username, "password": "wrong password!"})
    assert "suspended" not in wrong.get_data(as_text=True)  # nothing revealed without the password
    moderator_client.post(f"/moderation/u/{member.username}/lift-suspension", data={"lift-reason": "Appeal"})
    assert (
        client.post(
            "/auth/login", data={"username": member.username, "password": "a long enough password"}
        ).status_code
        == 302
    )
    with app.app_context():
        entry = db.session.execute(db.select(AuditEntry).filter_by(action="suspend_user")).scalar_one()
        assert entry.reason == "Harassment" and entry.after["suspended_until"].startswith("9999")


def test_timed_suspension_expires(app, client, auth, make):
    from datetime import timedelta

    member = make.user(suspended_until=utcnow() - timedelta(seconds=1))
    auth.login(member)
    assert client.get("/settings").status_code == 200


def test_lifting_what_is_not_there_is_refused(app, client, auth, make):
    member = make.user()
    auth.login(make.moderator())
    assert (
        client.post(f"/moderation/u/{member.username}/lift-suspension", data={"lift-reason": "x"}).status_code
        == 400
    )
    assert (
        client.post(
            f"/moderation/u/{member.username}/suspend",
            data={"suspend-duration": "10y", "suspend-reason": "x"},
        ).status_code
        == 400
    )
    assert audit_actions(app) == []


def test_admin_grants_and_revokes_moderator_rights(app, client, auth, make):
    member = make.user()
    thread = make.thread()
    auth.login(make.admin())
    response = client.post("/moderation/c/c7-e-health/moderators", data={"grant-username": member.username})
    assert response.status_code == 302
    assert (
        client.post(
            "/moderation/c/c7-e-health/moderators", data={"grant-username": member.username}
        ).status_code
        == 400
    )
    assert (
        client.post("/moderation/c/c7-e-health/moderators", data={"grant-username": "nobody"}).status_code
        == 400
    )
    member_client = app.test_client()
    with member_client.session_transaction() as session:
        session["_user_id"] = member.get_id()
    assert member_client.post(f"/moderation/t/{thread.id}/lock").status_code == 302
    client.post(f"/moderation/c/c7-e-health/moderators/{member.id}/revoke")
    assert member_client.post(f"/moderation/t/{thread.id}/unlock").status_code == 403
    assert [a for a, _t, _i in audit_actions(app)] == ["grant_moderator", "lock_thread", "revoke_moderator"]
