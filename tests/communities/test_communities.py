"""The home listing, community pages, following, restricted communities."""

import re

from app.communities.models import Community, CommunityFollow
from app.extensions import db
from tests.support.pages import select_one, texts


def test_home_lists_all_action_lines_with_c7_sub_lines_grouped(client):
    page = client.get("/").get_data(as_text=True)
    codes = texts(page, "span.code")
    for code in ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11"]:
        assert code in codes
    c7_block = page[page.index('id="community-c7"') : page.index('id="community-c8"')]
    for sub in [
        "e-government",
        "e-business",
        "e-learning",
        "e-health",
        "e-employment",
        "e-environment",
        "e-agriculture",
        "e-science",
    ]:
        assert f'id="community-c7-{sub}"' in c7_block
    assert "Cultural diversity and identity, linguistic diversity and local content" in page


def test_home_shows_thread_and_post_counts(client, make):
    thread = make.thread("c7-e-health")
    make.reply(thread)
    page = client.get("/").get_data(as_text=True)
    block = page[page.index('id="community-c7-e-health"') :]
    block = block[: block.index("</li>")]
    assert "1 thread" in block and "2 posts" in block and "latest activity" in block


def test_seed_is_idempotent(app):
    from app.communities.seed import seed_communities

    with app.app_context():
        assert seed_communities() == 0
        assert db.session.execute(db.select(db.func.count(Community.id))).scalar() == 19
        c7 = db.session.execute(db.select(Community).filter_by(slug="c7")).scalar_one()
        assert sorted(child.slug for child in c7.children) == sorted(
            f"c7-e-{name}"
            for name in [
                "government",
                "business",
                "learning",
                "health",
                "employment",
                "environment",
                "agriculture",
                "science",
            ]
        )


def test_community_page_lists_pinned_first_then_latest_activity(client, make, app):
    older = make.thread(title="Older but pinned thread")
    newer = make.thread(title="Newer thread here")
    middle = make.thread(title="Middle thread here")
    make.reply(middle)  # now the most recently active unpinned thread
    with app.app_context():
        db.session.get(type(older), older.id).pinned = True
        db.session.commit()
    page = client.get("/c/c7-e-health").get_data(as_text=True)
    order = [int(i) for i in re.findall(r'id="thread-row-(\d+)"', page)]
    assert order == [older.id, middle.id, newer.id]


def test_community_threads_are_paginated(client, make, app):
    app.config["THREADS_PER_PAGE"] = 2
    for number in range(5):
        make.thread(title=f"Thread number {number}")
    first = client.get("/c/c7-e-health").get_data(as_text=True)
    third = client.get("/c/c7-e-health?page=3").get_data(as_text=True)
    assert len(re.findall(r'id="thread-row-', first)) == 2
    assert len(re.findall(r'id="thread-row-', third)) == 1
    assert client.get("/c/c7-e-health?page=9").status_code == 404


def test_community_heading_names_the_line_once(client):
    def heading(slug, language="en"):
        page = client.get(f"/c/{slug}", headers={"Accept-Language": language}).get_data(as_text=True)
        return select_one(page, "h1").text.split()

    assert heading("c2") == ["C2", "Information", "and", "communication", "infrastructure"]
    assert heading("c7-e-health") == ["C7", "E-health"]
    assert heading("c7-e-health", "fr") == ["C7", "Cybersanté"]


def test_unknown_community_is_404(client):
    assert client.get("/c/c99").status_code == 404


def test_follow_and_unfollow(client, auth, make, app):
    user = auth.login(make.user())
    assert client.post("/c/c3/follow").status_code == 302
    assert "Notifications: New threads" in client.get("/c/c3").get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(CommunityFollow).filter_by(user_id=user.id)).scalar_one()
    client.post("/c/c3/unfollow")
    with app.app_context():
        assert db.session.execute(db.select(CommunityFollow).filter_by(user_id=user.id)).first() is None


def test_follow_requires_sign_in(client):
    response = client.post("/c/c3/follow")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_restricted_community_is_invisible_to_outsiders(client, auth, make):
    closed = make.restricted_community()
    assert client.get(f"/c/{closed.slug}").status_code == 404
    assert closed.slug not in client.get("/").get_data(as_text=True)
    member = make.user()
    make.member_of(closed, member)
    auth.login(member)
    assert client.get(f"/c/{closed.slug}").status_code == 200
