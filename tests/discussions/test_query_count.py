"""A thread page costs the same number of SQL statements whatever the number of posts."""

from app.auth.models import User
from app.discussions import reading, services
from app.discussions.models import Post, Thread
from app.extensions import db
from tests.support.statements import counted_statements


def grow(app, thread, replies):
    """Add replies in a mix of depths: every third answers the previous reply."""
    with app.app_context():
        row = db.session.get(Thread, thread.id)
        author = row.author
        parent = None
        for number in range(replies):
            post = services.reply(row, author, f"reply {number}", parent=parent)
            parent = post if number % 3 else None
        db.session.commit()


def statements_for_page(app, client, url):
    client.get(url)  # warm-up (first request compiles templates)
    with counted_statements(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def read_some(app, thread, user):
    """The reader has read the thread's first posts (their read state is then on the page)."""
    with app.app_context():
        row, reader = db.session.get(Thread, thread.id), db.session.get(User, user.id)
        first_ids = db.session.execute(
            db.select(Post.id).where(Post.thread_id == row.id).order_by(Post.id).limit(3)
        ).scalars()
        reading.mark_read(reader, row, list(first_ids))
        db.session.commit()


def test_thread_page_queries_do_not_grow_with_posts(app, client, auth, make):
    viewer = auth.login(make.user())
    writer = make.user()
    small, large = make.thread(author=writer), make.thread(author=writer, title="A much longer thread")
    grow(app, small, 5)
    grow(app, large, 240)
    read_some(app, small, viewer)
    read_some(app, large, viewer)
    for view in ("tree", "flat"):
        for page in (1, 3):
            small_count = statements_for_page(app, client, f"/t/{small.id}?view={view}&page={page}")
            large_count = statements_for_page(app, client, f"/t/{large.id}?view={view}&page={page}")
            assert small_count == large_count, (view, page, small_count, large_count)
            # among them the page's attached files (app/files), the reader's bookmarks, the posts'
            # reactions, and the reader's read state with the first post they have not read
            assert large_count <= 17  # the thread by another member: their user row too
