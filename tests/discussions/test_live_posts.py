"""The posts the live script inserts are the page's own markup for that reader (issue 13, item 10).

`/t/<id>/posts?ids=…` renders with the thread page's template, so a post inserted live has exactly the
controls (Reply, Quote, Edit, Delete, Report, Moderate) a reload shows that reader, and no others.
"""

import re

import pytest

from app.discussions.models import Post
from app.extensions import db
from app.moderation.services import content
from tests.support.pages import texts

# The reactions a reader may leave on someone else's post (app/discussions/reactions.py).
REACTIONS = ["👍 Like", "✅ Agree", "💡 Insightful", "🙏 Thanks"]


def article(html: str, post_id: int) -> str:
    """The post's markup without what changes from one second to the next ("2 seconds ago", CSRF tokens)."""
    found = re.search(rf'<article [^>]*id="p{post_id}".*?</article>', html, re.S).group(0)
    found = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1", found)
    return re.sub(r"(<time[^>]*>)[^<]*(</time>)", r"\1\2", found)


def controls(html: str) -> list[str]:
    """The labels of the post's links and buttons, as the reader sees them."""
    return texts(html, "footer.post-actions a, footer.post-actions button")


@pytest.fixture
def scene(make):
    author = make.user("author")
    thread = make.thread(author=author)
    reply = make.reply(thread, author=author, body="An answer worth **reading**")
    return {"thread": thread, "reply": reply, "author": author}


@pytest.mark.parametrize("reader", ["anonymous", "member", "author", "moderator"])
@pytest.mark.parametrize("view", ["tree", "flat"])
def test_live_post_is_the_page_markup_for_each_reader(client, auth, make, scene, reader, view):
    if reader != "anonymous":
        auth.login({"member": make.user, "moderator": make.moderator}.get(reader, lambda: scene["author"])())
    thread, reply = scene["thread"], scene["reply"]
    live = client.get(f"/t/{thread.id}/posts?ids={reply.id}&view={view}").get_json()["posts"]
    page = client.get(f"/t/{thread.id}?view={view}").get_data(as_text=True)
    assert [post["id"] for post in live] == [reply.id]
    assert article(live[0]["html"], reply.id) == article(page, reply.id)
    shown = controls(live[0]["html"])
    expected = {
        "anonymous": [],
        "member": ["Reply", "Quote", "Bookmark", *REACTIONS, "Report"],
        "author": ["Reply", "Quote", "Edit", "Delete", "Bookmark"],
        "moderator": ["Reply", "Quote", "Edit", "Delete", "Bookmark", *REACTIONS, "Report", "Moderate"],
    }[reader]
    assert shown == expected


def test_live_posts_follow_the_row_and_the_readers_rights(app, client, auth, make, scene):
    thread, reply = scene["thread"], scene["reply"]
    moderator = make.moderator()
    with app.app_context():
        content.hide_post(db.session.get(Post, reply.id), db.session.merge(moderator), "off-topic")
        db.session.commit()
    hidden = client.get(f"/t/{thread.id}/posts?ids={reply.id}").get_json()["posts"][0]["html"]
    assert "This post was hidden by a moderator." in hidden and "worth" not in hidden
    auth.login(moderator)
    seen = client.get(f"/t/{thread.id}/posts?ids={reply.id}").get_json()["posts"][0]["html"]
    assert "<strong>reading</strong>" in seen  # moderators still see what they hid


@pytest.mark.parametrize("ids", ["", "abc", "99999999999", ",".join(["1"] * 500)])
def test_live_posts_take_bounded_ids(client, make, scene, ids):
    answer = client.get(f"/t/{scene['thread'].id}/posts?ids={ids}")
    assert answer.status_code == 200 and len(answer.get_json()["posts"]) <= 1
    assert answer.headers["Cache-Control"] == "no-store"  # per reader: no browser or proxy reuses it


def test_live_posts_of_an_unreadable_thread_are_404(client, make):
    thread = make.thread(community=make.restricted_community().slug)
    assert client.get(f"/t/{thread.id}/posts?ids=1").status_code == 404
