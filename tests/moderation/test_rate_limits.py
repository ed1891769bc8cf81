"""Abuse limits answer 429 with a clear message once a limit is passed."""

import pytest

from app import create_app
from app.communities.seed import seed_communities
from app.extensions import db
from config import TestConfig
from tests.factories import Make


@pytest.fixture
def limited_app(tmp_path):
    config = TestConfig(tmp_path)
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'limited.db'}"
    config.RATELIMIT_ENABLED = True
    config.RATELIMIT_LOGIN = "100/minute"
    config.RATELIMIT_LOGIN_ACCOUNT = "3/15 minutes"
    config.RATELIMIT_REGISTER = "2/hour"
    config.RATELIMIT_REPORT = "2/hour"
    config.RATELIMIT_REPLY = "3/minute"
    config.RATELIMIT_REACT = "4/minute"
    app = create_app(config)
    with app.app_context():
        db.create_all()
        seed_communities()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _login(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()


def _assert_429(response):
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many" in page and response.headers.get("Retry-After")


def test_sign_in_attempts_are_limited_per_account(limited_app):
    make = Make(limited_app)
    make.user("amina", password="the right password")
    make.user("bashir", password="the right password")
    client = limited_app.test_client()
    for _ in range(3):
        assert client.post("/auth/login", data={"username": "amina", "password": "wrong"}).status_code == 400
    # Another spelling of the same account counts too, and even the right password now waits.
    _assert_429(client.post("/auth/login", data={"username": "AMINA@example.org", "password": "wrong"}))
    _assert_429(client.post("/auth/login", data={"username": "amina", "password": "the right password"}))
    assert (
        client.post("/auth/login", data={"username": "bashir", "password": "the right password"}).status_code
        == 302
    )


def test_successful_sign_ins_do_not_use_up_the_account_limit(limited_app):
    make = Make(limited_app)
    make.user("amina", password="the right password")
    for _ in range(5):
        client = limited_app.test_client()
        assert (
            client.post(
                "/auth/login", data={"username": "amina", "password": "the right password"}
            ).status_code
            == 302
        )


def test_registration_is_limited(limited_app):
    client = limited_app.test_client()
    for number in range(2):
        client.post("/auth/register", data={"username": f"new{number}"})
    _assert_429(client.post("/auth/register", data={"username": "new3"}))


def test_reports_are_limited(limited_app):
    make = Make(limited_app)
    thread = make.thread()
    posts = [make.reply(thread, body=f"Post {n}") for n in range(3)]
    client = limited_app.test_client()
    _login(client, make.user())
    for post in posts[:2]:
        assert client.post(f"/moderation/report/post/{post.id}", data={"reason": "spam"}).status_code == 302
    _assert_429(client.post(f"/moderation/report/post/{posts[2].id}", data={"reason": "spam"}))


def test_replies_are_limited_and_json_clients_get_json(limited_app):
    make = Make(limited_app)
    thread = make.thread()
    client = limited_app.test_client()
    _login(client, make.user())
    for number in range(3):
        client.post(f"/t/{thread.id}/reply", data={"body": f"Reply number {number}"})
    response = client.post(
        f"/t/{thread.id}/reply", data={"body": "One more"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 429 and response.get_json()["status"] == 429


def test_reactions_are_limited_per_member(limited_app):
    make = Make(limited_app)
    post = make.reply(make.thread(), body="A post worth reacting to.")
    client = limited_app.test_client()
    _login(client, make.user())
    for _ in range(4):
        assert client.post(f"/p/{post.id}/react", data={"kind": "like"}).status_code == 302
    _assert_429(client.post(f"/p/{post.id}/react", data={"kind": "thanks"}))
