"""A reply costs the same with 1 or 10,000 followers: the request writes one job, the job notifies."""

from app.auth.models import User
from app.core.time import utcnow
from app.discussions.models import Post, ThreadFollow
from app.extensions import db
from app.jobs.models import Job
from app.notifications.models import Notification
from tests.support.statements import counted_statements


def _add_followers(app, thread, count, prefix):
    """`count` members following `thread`, written in two multi-row inserts."""
    with app.app_context():
        db.session.execute(
            db.insert(User),
            [
                {"username": f"{prefix}{n}", "email": f"{prefix}{n}@example.org", "password_hash": "x"}
                for n in range(count)
            ],
        )
        ids = db.session.execute(db.select(User.id).where(User.username.like(f"{prefix}%"))).scalars()
        db.session.execute(db.insert(ThreadFollow), [{"thread_id": thread.id, "user_id": i} for i in ids])
        db.session.commit()


def _statements_for_reply(app, client, thread, body):
    with counted_statements(app) as statements:
        response = client.post(f"/t/{thread.id}/reply", data={"body": body})
    assert response.status_code == 302
    return len(statements)


def _jobs(app):
    """Jobs due now (a notification mail sweep waits out MAIL_BATCH_SECONDS: not due yet)."""
    with app.app_context():
        return db.session.execute(db.select(db.func.count(Job.id)).where(Job.run_at <= utcnow())).scalar()


def _notified(app, kind, post_body):
    with app.app_context():
        post = db.session.execute(db.select(Post).filter_by(body_source=post_body)).scalar_one()
        return db.session.execute(
            db.select(db.func.count(Notification.id)).filter_by(kind=kind, url=f"/p/{post.id}")
        ).scalar()


def test_a_reply_sends_as_many_statements_with_1_100_or_10000_followers(app, client, auth, make):
    app.extensions["majlis_jobs"].mode = "worker"  # the fan-out is a worker's, not the request's
    replier = auth.login(make.user())
    counts = {}
    for followers in (1, 100, 10_000):
        thread = make.thread(title=f"Followed by {followers}")
        _add_followers(app, thread, followers, prefix=f"f{followers}x")
        make.reply(thread, author=replier, body="warm-up")  # the replier follows from here on
        waiting = _jobs(app)
        counts[followers] = _statements_for_reply(app, client, thread, f"Reply to {followers} followers")
        assert _jobs(app) == waiting + 1  # the whole fan-out is one row
    assert counts[1] == counts[100] == counts[10_000], counts

    assert app.extensions["majlis_jobs"].run_due() == 9  # three threads, warm-ups and replies
    for followers in (1, 100, 10_000):
        body = f"Reply to {followers} followers"
        assert _notified(app, "thread_reply", body) == followers
        assert _notified(app, "reply", body) == 1  # the thread's author, once, as the one replied to
    assert _jobs(app) == 0


def test_followers_of_a_restricted_community_are_told_only_if_they_may_read_it(app, client, auth, make):
    community = make.restricted_community()
    author = make.user()
    make.member_of(community, author)
    thread = make.thread(community=community, author=author, title="Members only")
    outsider, member = make.user(), make.user()
    make.member_of(community, member)
    with app.app_context():
        for user in (outsider, member):
            db.session.add(ThreadFollow(thread_id=thread.id, user_id=user.id))
        db.session.commit()
    make.reply(thread, author=author, body="Members, look")
    with app.app_context():
        told = set(
            db.session.execute(db.select(Notification.user_id).filter_by(kind="thread_reply")).scalars()
        )
    assert told == {member.id}


def test_a_reply_hidden_before_its_job_runs_notifies_nobody(app, make):
    app.extensions["majlis_jobs"].mode = "worker"
    thread = make.thread()
    follower = make.user()
    with app.app_context():
        db.session.add(ThreadFollow(thread_id=thread.id, user_id=follower.id))
        db.session.commit()
    post = make.reply(thread, body="Spam for every follower")
    make.hidden(post)
    app.extensions["majlis_jobs"].run_due()
    assert _notified(app, "thread_reply", "Spam for every follower") == 0
    assert _notified(app, "reply", "Spam for every follower") == 0
    assert _jobs(app) == 0


def test_the_fan_out_job_numbers_every_followers_live_event_in_a_few_statements(app, auth, make):
    """Each notified member's page hears of it through their own room (`user:<id>`), in sequence;
    the job takes those rooms' sequence numbers together, not one statement per follower."""
    from app.realtime.models import RoomSequence

    app.extensions["majlis_jobs"].mode = "worker"
    replier = make.user()
    statements = {}
    for followers in (10, 1_500):
        thread = make.thread(title=f"Followed by {followers}")
        _add_followers(app, thread, followers, prefix=f"g{followers}x")
        app.extensions["majlis_jobs"].run_due()  # the new thread's notices
        make.reply(thread, author=replier, body=f"News for {followers} followers")
        with counted_statements(app) as sent:
            assert app.extensions["majlis_jobs"].run_due() == 1
        statements[followers] = len(sent)
        with app.app_context():
            rooms = (
                db.session.execute(
                    db.select(RoomSequence.last_seq)
                    .join(User, RoomSequence.room == db.literal("user:") + db.cast(User.id, db.String))
                    .where(User.username.like(f"g{followers}x%"))
                )
                .scalars()
                .all()
            )
        assert sorted(set(rooms)) == [1] and len(rooms) == followers  # every follower's room: event 1
    assert statements[1_500] <= statements[10] + 10, statements
