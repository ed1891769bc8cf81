"""Reading state: a returning member sees what is new since they last read, exactly, in tree and flat
view alike; opens a thread at their first unread post; marks a community or everything read; finds
threads with something new under New and Unread; and never sees what they muted."""

import re
from datetime import timedelta

from app.auth.models import User
from app.core.time import utcnow
from app.discussions.models import Post, Thread, ThreadRead
from app.extensions import db
from tests.support.clients import client_for


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _row(html: str, thread_id: int) -> str:
    match = re.search(rf'<tr id="thread-row-{thread_id}".*?</tr>', html, re.S)
    assert match, f"thread {thread_id} not listed"
    return match.group(0)


def _new_label(html: str, thread_id: int) -> str | None:
    row = _row(html, thread_id)
    badge = re.search(r'<span class="new-count badge"( hidden)?>([^<]*)</span>', row)
    return None if badge.group(1) else badge.group(2)


def _read(client, thread, *posts, seen=None):
    body = {"ids": ",".join(str(post.id) for post in posts)}
    if seen is not None:
        body["seen"] = str(seen.id)
    response = client.post(f"/t/{thread.id}/read", data=body)
    assert response.status_code == 200
    return response.get_json()["unread"]


def _thread_with_replies(make, count, author=None):
    author = author or make.user()
    thread = make.thread(author=author, title="Community networks in remote areas")
    return thread, [make.reply(thread, author=author, body=f"Reply number {n}.") for n in range(count)]


def test_a_thread_started_after_joining_is_new_then_counts_what_is_left_unread(app, make):
    member = make.user()
    thread, replies = _thread_with_replies(make, 4)
    client = client_for(app, member)
    listing = _page(client, "/c/c7-e-health")
    assert _new_label(listing, thread.id) == "New" and 'class="thread-link unread"' in _row(
        listing, thread.id
    )
    assert _read(client, thread, make.opening_post(thread), replies[0]) == 3
    listing = _page(client, "/c/c7-e-health")
    assert _new_label(listing, thread.id) == "3 new"
    assert f'href="/t/{thread.id}/unread"' in _row(listing, thread.id)
    assert _read(client, thread, *replies[1:]) == 0
    listing = _page(client, "/c/c7-e-health")
    assert _new_label(listing, thread.id) is None and "thread-link unread" not in _row(listing, thread.id)


def test_threads_from_before_joining_are_not_new(app, make):
    thread, _replies = _thread_with_replies(make, 2)
    member = make.user()
    assert _new_label(_page(client_for(app, member), "/c/c7-e-health"), thread.id) is None
    later = make.reply(thread, body="A reply after they joined.")
    assert _new_label(_page(client_for(app, member), "/c/c7-e-health"), thread.id) == "New"
    client = client_for(app, member)
    assert _read(client, thread, later) == 0  # opening it keeps the old posts read


def _backdate(app, thread, days):
    """The thread and its posts as they were `days` ago."""
    when = utcnow() - timedelta(days=days)
    with app.app_context():
        db.session.execute(db.update(Post).where(Post.thread_id == thread.id).values(created_at=when))
        db.session.execute(
            db.update(Thread).where(Thread.id == thread.id).values(created_at=when, last_activity_at=when)
        )
        db.session.commit()


def test_posts_older_than_the_unread_window_are_read_to_everyone(app, make):
    member = make.user()
    with app.app_context():
        db.session.execute(
            db.update(User).where(User.id == member.id).values(created_at=utcnow() - timedelta(days=365))
        )
        db.session.commit()
    stale, _replies = _thread_with_replies(make, 2)
    opened, _replies = _thread_with_replies(make, 1)
    _read(client_for(app, member), opened, make.opening_post(opened))
    make.reply(opened, body="A reply nobody read in time.")
    recent = make.thread(title="Last week's question")
    _backdate(app, stale, app.config["UNREAD_WINDOW_DAYS"] + 1)
    _backdate(app, opened, app.config["UNREAD_WINDOW_DAYS"] + 1)
    _backdate(app, recent, app.config["UNREAD_WINDOW_DAYS"] - 1)
    client = client_for(app, member)
    listing = _page(client, "/c/c7-e-health")
    assert _new_label(listing, stale.id) is None and _new_label(listing, opened.id) is None
    assert _new_label(listing, recent.id) == "New"
    new = _page(client, "/new")
    assert f"thread-row-{recent.id}" in new
    assert f"thread-row-{stale.id}" not in new and f"thread-row-{opened.id}" not in new
    assert client.get("/new/count").get_json()["count"] == 1


def test_reading_out_of_order_in_the_tree_stays_exact(app, make):
    member = make.user()
    thread, replies = _thread_with_replies(make, 6)
    client = client_for(app, member)
    opening = make.opening_post(thread)
    assert _read(client, thread, replies[5], replies[3]) == 5  # a tree page shows later posts first
    assert _read(client, thread, opening, replies[0], replies[1]) == 2
    assert _read(client, thread, replies[2]) == 1
    with app.app_context():
        state = db.session.get(ThreadRead, (member.id, thread.id))
        assert state.read_through_id == replies[3].id and state.beyond_ids == {replies[5].id}
    assert _read(client, thread, replies[4]) == 0
    with app.app_context():
        state = db.session.get(ThreadRead, (member.id, thread.id))
        assert state.read_through_id == replies[5].id and state.read_beyond == ""


def test_own_hidden_and_foreign_posts_are_not_counted(app, make):
    member = make.user()
    thread, replies = _thread_with_replies(make, 2)
    client = client_for(app, member)
    _read(client, thread, make.opening_post(thread), *replies)
    make.reply(thread, author=member, body="My own reply is not news to me.")
    hidden = make.reply(thread, body="This one gets hidden.")
    make.hidden(hidden)
    other = make.thread(title="Another thread entirely")
    assert _read(client, thread, make.opening_post(other)) == 0  # another thread's post is ignored
    assert _new_label(_page(client, "/c/c7-e-health"), thread.id) is None


def test_a_thread_opens_at_the_first_unread_post_in_either_view(app, make):
    member = make.user()
    thread, replies = _thread_with_replies(make, 5)
    client = client_for(app, member)
    _read(client, thread, make.opening_post(thread), replies[0], replies[1], seen=replies[1])
    for view in ("tree", "flat"):
        response = client.get(f"/t/{thread.id}/unread?view={view}")
        assert response.status_code == 302 and response.headers["Location"].endswith(f"#p{replies[2].id}")
    _read(client, thread, *replies[2:], seen=replies[4])
    response = client.get(f"/t/{thread.id}/unread")
    assert response.headers["Location"].endswith(f"#p{replies[4].id}")  # nothing unread: where they were


def test_the_thread_page_offers_first_unread_and_back_to_where_i_was(app, make):
    member = make.user()
    with app.app_context():
        app.config["POSTS_PER_PAGE"] = 3
    thread, replies = _thread_with_replies(make, 8)
    client = client_for(app, member)
    _read(client, thread, make.opening_post(thread), replies[0], replies[1], seen=replies[1])
    last_page = _page(client, f"/t/{thread.id}?view=flat&page=3")
    assert f'href="/t/{thread.id}/unread?view=flat"' in last_page and "Jump to first unread" in last_page
    assert f'href="/p/{replies[1].id}"' in last_page and "Back to where I was" in last_page
    first_page = _page(client, f"/t/{thread.id}?view=flat")
    assert "Back to where I was" not in first_page  # that post is on this page


def test_without_javascript_the_page_reports_the_posts_it_showed(app, make):
    member = make.user()
    thread, replies = _thread_with_replies(make, 3)
    client = client_for(app, member)
    page = _page(client, f"/t/{thread.id}?view=flat")
    beacon = re.search(r'<noscript><img class="read-beacon"[^>]*src="([^"]+)"', page).group(1)
    response = client.get(beacon.replace("&amp;", "&"))
    assert response.status_code == 200 and response.mimetype == "image/gif"
    assert _new_label(_page(client, "/c/c7-e-health"), thread.id) is None
    assert "read-beacon" not in _page(client_for(app), f"/t/{thread.id}")  # visitors have no state


def test_opening_a_permalink_reads_that_post(app, make):
    member = make.user()
    thread, replies = _thread_with_replies(make, 2)
    client = client_for(app, member)
    _read(client, thread, make.opening_post(thread), replies[0])
    assert client.get(f"/p/{replies[1].id}").status_code == 302
    assert _new_label(_page(client, "/c/c7-e-health"), thread.id) is None


def test_mark_a_community_read_then_new_posts_count_again(app, make):
    member = make.user()
    opened, replies = _thread_with_replies(make, 2)
    unopened = make.thread(title="Never opened by the member")
    client = client_for(app, member)
    _read(client, opened, make.opening_post(opened))
    assert client.post("/c/c7-e-health/mark-read").status_code == 302
    listing = _page(client, "/c/c7-e-health")
    assert _new_label(listing, opened.id) is None and _new_label(listing, unopened.id) is None
    make.reply(opened, body="Something after marking read.")
    assert _new_label(_page(client, "/c/c7-e-health"), opened.id) == "1 new"


def test_mark_everything_read_empties_new(app, make):
    member = make.user()
    first = make.thread(title="A thread in e-health")
    second = make.thread("c2", title="A thread in access")
    client = client_for(app, member)
    new = _page(client, "/new")
    assert f"thread-row-{first.id}" in new and f"thread-row-{second.id}" in new
    assert client.get("/new/count").get_json()["count"] == 2
    assert client.post("/new/mark-read").status_code == 302
    assert "You are all caught up" in _page(client, "/new")
    assert client.get("/new/count").get_json()["count"] == 0


def test_new_lists_followed_communities_and_unread_lists_opened_threads(app, make):
    member = make.user()
    health = make.thread(title="In a community they follow")
    access = make.thread("c2", title="In a community they do not follow")
    client = client_for(app, member)
    client.post("/c/c7-e-health/follow")
    new = _page(client, "/new")
    assert f"thread-row-{health.id}" in new and f"thread-row-{access.id}" not in new
    assert f"thread-row-{health.id}" not in _page(client, "/new?filter=unread")
    _read(client, health, make.opening_post(health))
    make.reply(health, body="News in an opened thread.")
    unread = _page(client, "/new?filter=unread")
    assert f"thread-row-{health.id}" in unread and "1 new" in _row(unread, health.id)
    scoped = _page(client, "/new?c=c2")
    assert f"thread-row-{health.id}" not in scoped


def test_muted_threads_and_communities_never_show_as_new(app, make):
    member = make.user()
    muted_thread = make.thread(title="A thread the member mutes")
    in_muted_community = make.thread("c2", title="In a muted community")
    client = client_for(app, member)
    assert client.post(f"/t/{muted_thread.id}/level/muted").status_code == 302
    assert client.post("/c/c2/level/muted").status_code == 302
    new = _page(client, "/new")
    assert f"thread-row-{muted_thread.id}" not in new and f"thread-row-{in_muted_community.id}" not in new
    assert _new_label(_page(client, "/c/c7-e-health"), muted_thread.id) is None
    assert "Notifications: Muted" in _page(client, f"/t/{muted_thread.id}")
    assert client.get("/new/count").get_json()["count"] == 0


def test_live_counts_name_each_listed_thread_and_leave_out_unreadable_ones(app, make):
    member = make.user()
    thread, _replies = _thread_with_replies(make, 1)
    closed = make.restricted_community()
    secret = make.thread(closed, title="A thread in a closed room")
    client = client_for(app, member)
    answer = client.get(f"/new/count?threads={thread.id},{secret.id},nonsense").get_json()
    assert answer["threads"] == {str(thread.id): {"label": "New", "href": f"/t/{thread.id}"}}


def test_bad_reports_are_refused_and_others_cannot_mark(app, make):
    member = make.user()
    thread, _replies = _thread_with_replies(make, 1)
    client = client_for(app, member)
    assert client.post(f"/t/{thread.id}/read", json={"ids": [1, 2]}).status_code == 415
    assert client.post(f"/t/{thread.id}/read", data={"ids": "x,,-3," + "9" * 40}).status_code == 200
    assert client.post("/t/999999/read", data={"ids": "1"}).status_code == 404
    visitor = client_for(app).post(f"/t/{thread.id}/read", data={"ids": "1"})
    assert visitor.status_code in (302, 401)
    closed = make.restricted_community()
    secret = make.thread(closed, title="A thread in a closed room")
    assert client.post(f"/t/{secret.id}/read", data={"ids": "1"}).status_code == 404
    assert client.post(f"/t/{secret.id}/level/muted").status_code == 404
    assert client.post(f"/t/{thread.id}/level/loud").status_code == 404
