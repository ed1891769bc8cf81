"""Moderation through the API: only with the moderate scope, only in what the member moderates,
through the same services (audit entry, placeholder everywhere)."""

from app.core.audit import AuditEntry
from app.extensions import db
from tests.api.test_threads_api import _token


def test_a_moderators_token_hides_posts_and_locks_threads(app, make):
    thread = make.thread()
    post = make.reply(thread, body="Off-topic advertising for a shop.")
    moderator = make.moderator()
    _m, headers = _token(app, make, member=moderator, scopes=("read", "write", "moderate"))
    client = app.test_client()
    hidden = client.post(f"/api/v1/posts/{post.id}/hide", json={"reason": "Advertising."}, headers=headers)
    assert hidden.status_code == 200 and hidden.get_json()["removed"] is True
    assert "Off-topic advertising" not in client.get(f"/t/{thread.id}").get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.execute(db.select(AuditEntry).filter_by(action="hide_post")).scalar_one().reason
            == "Advertising."
        )
    again = client.post(f"/api/v1/posts/{post.id}/hide", json={"reason": "Twice."}, headers=headers)
    assert again.status_code == 422
    locked = client.post(f"/api/v1/threads/{thread.id}/lock", json={"reason": "Settled."}, headers=headers)
    assert locked.status_code == 200 and locked.get_json()["locked"] is True
    _member, member_headers = _token(app, make)
    assert (
        client.post(
            f"/api/v1/threads/{thread.id}/posts",
            json={"body": "One more thing here."},
            headers=member_headers,
        ).status_code
        == 403
    )


def test_moderation_needs_the_scope_and_the_role(app, make):
    thread = make.thread()
    post = make.reply(thread)
    moderator = make.moderator()
    _m, without_scope = _token(app, make, member=moderator, scopes=("read", "write"))
    _member, not_a_moderator = _token(app, make, scopes=("read", "moderate"))
    client = app.test_client()
    assert (
        client.post(f"/api/v1/posts/{post.id}/hide", json={"reason": "x"}, headers=without_scope).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/posts/{post.id}/hide", json={"reason": "x"}, headers=not_a_moderator
        ).status_code
        == 403
    )
    assert client.post(f"/api/v1/posts/{post.id}/hide", json={"reason": "x"}).status_code == 401
