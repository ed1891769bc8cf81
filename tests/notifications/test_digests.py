"""Digests: a week of activity in one mail, in the member's language, once per period, nothing
when there is nothing; what moderation took down is not in it."""

from datetime import timedelta

import pytest

from app.communities.models import CommunityFollow
from app.core.time import utcnow
from app.discussions.models import Post, Thread, ThreadFollow
from app.extensions import db
from app.notifications import digests
from app.notifications.models import MailDigest
from tests.support.clients import client_for
from tests.support.mail import html_of, outbox, text_of, to


@pytest.fixture(autouse=True)
def _morning_everywhere(app):
    app.config["DIGEST_HOUR"] = 0  # due at any hour, so the test does not depend on the clock


def _follow(app, member, community_slug="c7-e-health", thread=None):
    from app.communities.models import Community

    with app.app_context():
        community = db.session.execute(db.select(Community).filter_by(slug=community_slug)).scalar_one()
        db.session.add(CommunityFollow(community_id=community.id, user_id=member.id))
        if thread is not None and db.session.get(ThreadFollow, (thread.id, member.id)) is None:
            db.session.add(ThreadFollow(thread_id=thread.id, user_id=member.id))
        db.session.commit()


def _weekly(app, member):
    with app.app_context():
        db.session.add(MailDigest(user_id=member.id, frequency="weekly"))
        db.session.commit()


def _age(app, model, row_id, days):
    with app.app_context():
        db.session.execute(
            db.update(model).where(model.id == row_id).values(created_at=utcnow() - timedelta(days=days))
        )
        db.session.commit()


def _run(app, now=None):
    with app.app_context(), app.test_request_context("/"):
        return digests.send_due_digests(now or utcnow() + timedelta(minutes=1))


def _week_of_activity(app, make, member):
    """Over the last week: two new threads in a followed community (one hidden since), replies in a
    followed thread, and a consultation whose deadline is five days away."""
    others = [make.user(f"writer{n}") for n in range(3)]
    followed = make.thread(author=member, title="Community networks")
    _follow(app, member, thread=followed)
    older = make.thread(author=others[0], title="Spectrum for rural operators")
    _age(app, Thread, older.id, 5)
    make.thread(author=others[1], title="Zero-rating and net neutrality")
    hidden = make.thread(author=others[2], title="Buy cheap followers")
    make.hidden(hidden)
    for n in range(3):
        reply = make.reply(followed, author=others[n], body=f"Reply number {n}")
        _age(app, Post, reply.id, n + 1)
    make.consultation(
        deadline_local=(utcnow() + timedelta(days=5)).replace(microsecond=0),
        opens_local=utcnow() - timedelta(days=30),
    )


def test_a_weekly_digest_tells_a_week_of_activity_once(app, make):
    member = make.user("amina")
    _weekly(app, member)
    _week_of_activity(app, make, member)
    assert _run(app) >= 1  # the writers follow what they wrote, and get theirs too
    (digest,) = [m for m in to(outbox(app), "amina@example.org") if "digest" in m["Subject"]]
    text = text_of(digest)
    assert (
        digest["Subject"] == "Your weekly digest"
        and digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    for expected in ("Spectrum for rural operators", "Zero-rating and net neutrality", "Community networks — 3 new replies",
                     "WSIS Forum 2017 — Open Consultation", "New threads in communities I follow"):  # fmt: skip
        assert expected in text
    assert "Buy cheap followers" not in text and "Buy cheap followers" not in html_of(digest)
    assert _run(app) == 0  # the same week: not again
    assert len([m for m in to(outbox(app), "amina@example.org") if "digest" in m["Subject"]]) == 1


def test_the_digest_is_written_in_the_members_language(app, make):
    member = make.user("amina", locale="ar")
    _week_of_activity(app, make, member)
    _run(app)
    (digest,) = to(outbox(app), "amina@example.org")
    assert '<html lang="ar" dir="rtl">' in html_of(digest)
    text = text_of(digest)  # a daily digest: yesterday's thread, not the one of five days ago
    assert "Zero-rating and net neutrality" in text and "Spectrum for rural operators" not in text
    assert "digest" not in digest["Subject"]  # translated


def test_nothing_to_tell_sends_nothing(app, make):
    make.user("amina")
    assert _run(app) == 0 and outbox(app) == []


def test_a_member_who_chose_never_or_unsubscribed_gets_no_digest(app, make):
    member = make.user("amina")
    _week_of_activity(app, make, member)
    client = client_for(app, member)
    settings = {"reply": "immediate", "mention": "immediate", "followed_thread": "digest",
                "followed_community": "digest", "contributions": "immediate", "moderation": "immediate",
                "deadlines": "digest", "digest_frequency": "never"}  # fmt: skip
    assert client.post("/settings/mail", data=settings).status_code == 302
    _run(app)
    assert to(outbox(app), "amina@example.org") == []


def test_the_digest_unsubscribe_link_turns_the_digest_off(app, make):
    member = make.user("amina")
    _week_of_activity(app, make, member)
    _run(app)
    (digest,) = [m for m in to(outbox(app), "amina@example.org") if "digest" in m["Subject"]]
    path = digest["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:5000")
    assert app.test_client().post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    with app.app_context():
        assert db.session.get(MailDigest, member.id).frequency == "never"


def test_flask_mail_digests_sends_what_is_due(app, make):
    member = make.user("amina")
    _week_of_activity(app, make, member)
    app.config["DIGEST_HOUR"] = 0
    output = app.test_cli_runner().invoke(args=["mail", "digests"]).output
    assert "digests and reminders sent." in output and int(output.split()[0]) >= 1
    assert len(to(outbox(app), "amina@example.org")) == 1
