"""A post full of @mentions costs a bounded number of SQL statements and notifies at most
MAX_MENTION_NOTIFICATIONS people (a 20 KB post of 2,800 mentions once took 5.7 s)."""

from app.auth.models import User
from app.discussions.models import Post
from app.extensions import db
from app.notifications.models import Notification
from tests.discussions.test_query_count import counted_statements

MENTIONED_ACCOUNTS = 30


def _accounts(app, count):
    with app.app_context():
        db.session.add_all(
            User(username=f"m{number:03d}", email=f"m{number:03d}@example.org", password_hash="x")
            for number in range(count)
        )
        db.session.commit()


def _mentions(count):
    return " ".join(f"@m{number:03d}" for number in range(count))


def _post_with_mentions(app, client, url, body):
    with counted_statements(app) as statements:
        response = client.post(url, data={"title": "Everyone is mentioned here", "body": body})
    assert response.status_code == 302
    return len(statements)


def test_thousands_of_mentions_cost_a_bounded_number_of_queries(app, client, auth, make):
    thread = make.thread()
    auth.login(make.user())
    _accounts(app, MENTIONED_ACCOUNTS)
    client.post(f"/t/{thread.id}/reply", data={"body": "warm-up reply"})  # templates compiled
    few = _post_with_mentions(app, client, f"/t/{thread.id}/reply", _mentions(20))
    body = _mentions(2800)
    assert len(body.encode()) > 17_000
    many = _post_with_mentions(app, client, f"/t/{thread.id}/reply", body)
    assert many == few, (few, many)  # 2,800 mentions cost what 20 do
    assert many < 100
    with app.app_context():
        post = db.session.execute(db.select(Post).order_by(Post.id.desc())).scalars().first()
        assert post.body_html.count('href="/u/m0') == MENTIONED_ACCOUNTS  # every real account linked
        assert 'href="/u/m2799"' not in post.body_html  # no such account: plain text


def test_only_the_first_mentioned_are_notified(app, client, auth, make):
    thread = make.thread()
    auth.login(make.user())
    _accounts(app, MENTIONED_ACCOUNTS)
    cap = app.config["MAX_MENTION_NOTIFICATIONS"]
    assert cap == 10
    _post_with_mentions(app, client, f"/t/{thread.id}/reply", _mentions(2800))
    _post_with_mentions(app, client, "/c/c7-e-health/new", _mentions(2800))
    with app.app_context():
        notified = db.session.execute(
            db.select(User.username, db.func.count())
            .join(Notification, Notification.user_id == User.id)
            .where(Notification.kind == "mention")
            .group_by(User.username)
        ).all()
    assert dict(notified) == {f"m{number:03d}": 2 for number in range(cap)}  # reply and new thread


def test_the_mention_cap_is_configurable(app, client, auth, make):
    app.config["MAX_MENTION_NOTIFICATIONS"] = 3
    thread = make.thread()
    auth.login(make.user())
    _accounts(app, 5)
    _post_with_mentions(app, client, f"/t/{thread.id}/reply", "@m004 @m003 @m002 @m001 @m000")
    with app.app_context():
        names = db.session.execute(
            db.select(User.username)
            .join(Notification, Notification.user_id == User.id)
            .where(Notification.kind == "mention")
        ).scalars()
        assert sorted(names) == ["m002", "m003", "m004"]  # the first three written
