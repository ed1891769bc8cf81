"""Replies written at the same time: every acknowledged reply is counted and can be reached by page."""

import threading
import time

import pytest

from app.auth.models import User
from app.discussions import services
from app.discussions.models import Post, PostRevision, Thread
from app.extensions import db
from tests.support.database import is_postgres
from tests.support.pages import select

WRITERS = 8
REPLIES_EACH = 6


def reply_concurrently(app, thread_id: int, user_ids: list[int]) -> tuple[list[int], list[str]]:
    """Each user replies REPLIES_EACH times from a thread of their own, all starting together."""
    start = threading.Barrier(len(user_ids))
    acknowledged, failures, lock = [], [], threading.Lock()

    def write(user_id: int) -> None:
        start.wait()
        for number in range(REPLIES_EACH):
            with app.app_context():
                try:
                    thread = db.session.get(Thread, thread_id)
                    post = services.reply(
                        thread, db.session.get(User, user_id), f"Reply {number} by {user_id}"
                    )
                    db.session.commit()
                    with lock:
                        acknowledged.append(post.id)
                except Exception as error:  # the test reports every failure
                    db.session.rollback()
                    with lock:
                        failures.append(repr(error))

    workers = [threading.Thread(target=write, args=(user_id,)) for user_id in user_ids]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return acknowledged, failures


def test_concurrent_replies_are_all_counted_and_reachable_through_the_pages(app, client, make):
    app.config["POSTS_PER_PAGE"] = 10
    thread = make.thread()
    user_ids = [make.user().id for _ in range(WRITERS)]

    acknowledged, failures = reply_concurrently(app, thread.id, user_ids)

    assert failures == []
    assert len(acknowledged) == WRITERS * REPLIES_EACH
    with app.app_context():
        stored = db.session.execute(db.select(db.func.count(Post.id)).filter_by(thread_id=thread.id)).scalar()
        assert db.session.get(Thread, thread.id).post_count == stored == len(acknowledged) + 1
    shown = set()
    for page in range(1, stored // 10 + 2):
        html = client.get(f"/t/{thread.id}?view=flat&page={page}").get_data(as_text=True)
        shown |= {int(article.get("data-post-id")) for article in select(html, "article.post")}
    assert set(acknowledged) <= shown


@pytest.mark.skipif(not is_postgres(), reason="SQLite runs one write request at a time (BEGIN IMMEDIATE)")
def test_simultaneous_edits_both_become_numbered_revisions(app, make):
    """The author and a moderator save an edit of one post at the same moment: both are kept."""
    thread = make.thread()
    post = make.reply(thread, body="The first wording.")
    editors = [thread.author_id, make.moderator().id]
    first_flushed, results = threading.Event(), []

    def save_edit(editor_id, wait_for=None):
        with app.app_context():
            try:
                if wait_for:
                    wait_for.wait(10)
                services.edit_post(db.session.get(Post, post.id), db.session.get(User, editor_id),
                                   f"Wording by {editor_id}", reason="clearer")  # fmt: skip
                if not wait_for:
                    first_flushed.set()
                    time.sleep(0.5)  # the other edit is saved before this one is committed
                db.session.commit()
                results.append("saved")
            except Exception as error:  # noqa: BLE001  (the test reports what the editor would get)
                results.append(repr(error))

    workers = [threading.Thread(target=save_edit, args=(editors[0],)),
               threading.Thread(target=save_edit, args=(editors[1], first_flushed))]  # fmt: skip
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert results == ["saved", "saved"]
    with app.app_context():
        numbers = db.session.execute(db.select(PostRevision.number).filter_by(post_id=post.id)).scalars()
        assert sorted(numbers) == [1, 2, 3]  # the first wording and both edits
