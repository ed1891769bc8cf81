"""A thread page costs the same number of SQL statements whatever the number of posts."""

from app.discussions import services
from app.discussions.models import Thread
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


def test_thread_page_queries_do_not_grow_with_posts(app, client, auth, make):
    viewer = auth.login(make.user())
    small, large = make.thread(author=viewer), make.thread(author=viewer, title="A much longer thread")
    grow(app, small, 5)
    grow(app, large, 240)
    for view in ("tree", "flat"):
        for page in (1, 3):
            small_count = statements_for_page(app, client, f"/t/{small.id}?view={view}&page={page}")
            large_count = statements_for_page(app, client, f"/t/{large.id}?view={view}&page={page}")
            assert small_count == large_count, (view, page, small_count, large_count)
            assert (
                large_count <= 14
            )  # among them the page's attached files (app/files) and the reader's bookmarks
