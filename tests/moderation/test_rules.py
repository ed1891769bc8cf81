"""Posting rules: slow mode, repeated posts, new-account link and thread limits (moderators exempt)."""

from datetime import timedelta

import pytest

from app.discussions.models import Post, Thread
from app.extensions import db


@pytest.fixture
def limits(app):
    """The production defaults for abuse limits (TestConfig switches them off)."""
    app.config.update(
        NEW_USER_ACCEPTED_POSTS=3,
        NEW_USER_MAX_LINKS=2,
        NEW_USER_MAX_THREADS_PER_DAY=3,
        DUPLICATE_POST_WINDOW_SECONDS=300,
    )
    return app.config


def _age_posts(app, user, seconds):
    with app.app_context():
        for post in db.session.execute(db.select(Post).filter_by(author_id=user.id)).scalars():
            post.created_at -= timedelta(seconds=seconds)
        db.session.commit()


def _post_count(app, thread):
    with app.app_context():
        return db.session.get(Thread, thread.id).post_count


def test_slow_mode_allows_one_post_per_interval(app, client, auth, make):
    thread = make.thread()
    auth.login(make.moderator())
    client.post(f"/moderation/t/{thread.id}/slow-mode", data={"slow-seconds": "300"})
    member = auth.login(make.user())
    assert client.post(f"/t/{thread.id}/reply", data={"body": "First thought"}).status_code == 302
    refused = client.post(f"/t/{thread.id}/reply", data={"body": "Second thought"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "slow mode" in page and "Second thought" in page  # the text typed is kept
    assert _post_count(app, thread) == 2
    _age_posts(app, member, 301)
    assert client.post(f"/t/{thread.id}/reply", data={"body": "Second thought"}).status_code == 302


def test_slow_mode_does_not_apply_to_moderators_or_other_threads(app, client, auth, make):
    thread = make.thread()
    elsewhere = make.thread()
    auth.login(make.moderator())
    client.post(f"/moderation/t/{thread.id}/slow-mode", data={"slow-seconds": "3600"})
    for body in ("Moderator one", "Moderator two"):
        assert client.post(f"/t/{thread.id}/reply", data={"body": body}).status_code == 302
    auth.login(make.user())
    assert client.post(f"/t/{thread.id}/reply", data={"body": "In slow thread"}).status_code == 302
    assert client.post(f"/t/{elsewhere.id}/reply", data={"body": "Elsewhere one"}).status_code == 302
    assert client.post(f"/t/{elsewhere.id}/reply", data={"body": "Elsewhere two"}).status_code == 302


def test_identical_repeated_posts_are_refused(app, client, auth, make, limits):
    first, second = make.thread(), make.thread()
    member = auth.login(make.user())
    assert client.post(f"/t/{first.id}/reply", data={"body": "Visit my page"}).status_code == 302
    for thread, body in ((first, "Visit my page"), (second, "  visit   MY page ")):
        response = client.post(f"/t/{thread.id}/reply", data={"body": body})
        assert response.status_code == 400 and "exactly this" in response.get_data(as_text=True)
    refused_thread = client.post(
        "/c/c7-e-health/new", data={"title": "Visit my page", "body": "Visit my page"}
    )
    assert refused_thread.status_code == 400
    assert client.post(f"/t/{second.id}/reply", data={"body": "Something new"}).status_code == 302
    _age_posts(app, member, 301)
    assert client.post(f"/t/{second.id}/reply", data={"body": "Visit my page"}).status_code == 302


def test_the_repeated_post_check_compares_a_digest_and_reads_no_earlier_body(app, client, auth, make, limits):
    from tests.support.statements import counted_statements

    thread = make.thread()
    member = auth.login(make.user())
    for number in range(20):
        assert client.post(f"/t/{thread.id}/reply", data={"body": f"Point {number}"}).status_code == 302
    with counted_statements(app) as statements:
        assert client.post(f"/t/{thread.id}/reply", data={"body": "Point 21"}).status_code == 302
    # the member's recent posts are looked up by digest: none of their bodies is read for the check
    recent_bodies = [s for s in statements if "body_source" in s and "posts.author_id = " in s]
    assert recent_bodies == []
    assert client.post(f"/t/{thread.id}/reply", data={"body": " point   7"}).status_code == 400
    assert member is not None


LINKS = "See https://a.example, [b](https://b.example) and www.c.example"


def test_new_accounts_are_limited_in_links_until_they_have_accepted_posts(app, client, auth, make, limits):
    thread = make.thread()
    member = auth.login(make.user())
    refused = client.post(f"/t/{thread.id}/reply", data={"body": LINKS})
    assert refused.status_code == 400 and "at most 2 links" in refused.get_data(as_text=True)
    two_links = "See https://a.example and https://b.example"
    assert client.post(f"/t/{thread.id}/reply", data={"body": two_links}).status_code == 302
    mention = make.user("amina")
    assert (
        client.post(
            f"/t/{thread.id}/reply", data={"body": f"@{mention.username} @{mention.username} @x"}
        ).status_code
        == 302
    )
    for number in range(3):
        make.reply(thread, author=member, body=f"Accepted post {number}")
    refused = client.post(f"/t/{thread.id}/reply", data={"body": LINKS})
    assert refused.status_code == 400  # posts count as accepted once they stayed visible a day
    _age_posts(app, member, 86400)
    assert client.post(f"/t/{thread.id}/reply", data={"body": LINKS}).status_code == 302


def test_hidden_posts_do_not_count_as_accepted(app, client, auth, make, limits):
    thread = make.thread()
    member = make.user()
    for number in range(3):
        make.reply(thread, author=member, body=f"Spam post {number}")
    _age_posts(app, member, 86400)
    with app.app_context():
        posts = db.session.execute(db.select(Post).filter_by(author_id=member.id)).scalars().all()
    for post in posts:
        make.hidden(post)
    auth.login(member)
    assert client.post(f"/t/{thread.id}/reply", data={"body": LINKS}).status_code == 400


def test_new_accounts_start_a_limited_number_of_threads_a_day(app, client, auth, make, limits):
    auth.login(make.user())
    for number in range(3):
        response = client.post(
            "/c/c7-e-health/new", data={"title": f"Question {number}", "body": f"Body {number}"}
        )
        assert response.status_code == 302
    refused = client.post("/c/c7-e-health/new", data={"title": "Question 4", "body": "Body 4"})
    assert refused.status_code == 400 and "threads a day" in refused.get_data(as_text=True)
    auth.login(make.moderator())
    for number in range(4):
        assert (
            client.post(
                "/c/c7-e-health/new",
                data={"title": f"Notice {number}", "body": f"Text {number} https://a https://b https://c"},
            ).status_code
            == 302
        )
