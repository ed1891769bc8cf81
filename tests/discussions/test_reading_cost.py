"""Reading state costs a thread list one statement per page, whatever the number of threads: a
community of 10 threads and one of 10,000 send the same statements for a member's page, and New
too."""

from datetime import timedelta

from app.core.time import utcnow
from app.discussions.models import Post, Thread, ThreadRead, path_segment
from app.extensions import db
from tests.support.clients import client_for
from tests.support.statements import counted_statements

FIRST_ID = 500_000  # far above what the factories hand out


def _many_threads(app, slug, count, first_id, author, reader):
    """`count` threads of one post each in community `slug`, the reader having opened every other one."""
    with app.app_context():
        from tests.factories import community

        community_id, now = community(slug).id, utcnow()
        threads, posts, reads = [], [], []
        for number in range(count):
            row_id, at = first_id + number, now + timedelta(seconds=number)
            threads.append(dict(id=row_id, community_id=community_id, author_id=author.id, title=f"Thread {number}",
                                created_at=at, last_activity_at=at, post_count=1))  # fmt: skip
            posts.append(dict(id=row_id, thread_id=row_id, author_id=author.id, tree_path=path_segment(row_id),
                              depth=0, body_source="An opening post.", created_at=at))  # fmt: skip
            if number % 2:
                reads.append(dict(user_id=reader.id, thread_id=row_id, read_through_id=0, read_beyond="",
                                  updated_at=at))  # fmt: skip
        db.session.execute(db.insert(Thread), threads)
        db.session.execute(db.insert(Post), posts)
        db.session.execute(db.insert(ThreadRead), reads)
        db.session.commit()


def _statements(app, client, url) -> list[str]:
    assert client.get(url).status_code == 200  # warm-up
    with counted_statements(app) as statements:
        assert client.get(url).status_code == 200
    return statements


def test_a_thread_list_pays_one_statement_for_reading_state_at_10_and_10000_threads(app, make):
    reader, author = make.user(), make.user()
    _many_threads(app, "c2", 10, FIRST_ID, author, reader)
    _many_threads(app, "c3", 10_000, FIRST_ID + 100, author, reader)
    client = client_for(app, reader)
    small, large = _statements(app, client, "/c/c2"), _statements(app, client, "/c/c3")
    assert len(small) == len(large)
    assert len([statement for statement in large if "thread_reads" in statement]) == 1
    small_page = client.get("/c/c2").get_data(as_text=True)
    assert small_page.count('class="new-count badge">') == 10  # every thread on the page has a count
    assert len(_statements(app, client, "/new?c=c2")) == len(_statements(app, client, "/new?c=c3"))
