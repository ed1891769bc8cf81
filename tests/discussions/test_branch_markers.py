"""A merged thread shows "merged from «title»" where its posts begin, and a split branch shows the thread
it came from, in the tree and the flat view (issue 20)."""

import pytest

from app.discussions.models import Post
from app.extensions import db
from tests.support.clients import client_for
from tests.support.pages import select, select_one


def _opening_post_id(app, thread_id) -> int:
    with app.app_context():
        return db.session.execute(
            db.select(Post.id).filter_by(thread_id=thread_id, parent_id=None)
        ).scalar_one()


@pytest.mark.parametrize("view", ["tree", "flat"])
def test_a_merged_thread_is_marked_where_its_posts_begin(app, make, view):
    target = make.thread(title="Connectivity for rural clinics", body="Where do we start?")
    make.reply(target, body="A reply that was here first")
    source = make.thread(title="Satellite internet costs", body="What does a link cost?")
    source_opening = _opening_post_id(app, source.id)
    make.reply(source, body="About 40 dollars a month")
    moderator = client_for(app, make.moderator())
    response = moderator.post(
        f"/moderation/t/{source.id}/merge",
        data={"merge-target": str(target.id), "merge-reason": "Same topic"},
    )
    assert response.status_code == 302

    html = client_for(app, make.user()).get(f"/t/{target.id}?view={view}").get_data(as_text=True)
    markers = select(html, ".merged-from")
    assert [marker.text for marker in markers] == ["Merged from «Satellite internet costs»"]
    assert select_one(html, f"article[data-post-id='{source_opening}'] .merged-from") is not None
    order = [int(article.get("data-post-id")) for article in select(html, "article.post")]
    assert order.index(source_opening) > 0  # the target's own opening post still leads


@pytest.mark.parametrize("view", ["tree", "flat"])
def test_a_split_branch_links_the_thread_it_came_from(app, make, view):
    thread = make.thread(title="Telemedicine in rural clinics")
    branch = make.reply(thread, body="Satellite links worked in our pilot")
    moderator = client_for(app, make.moderator())
    response = moderator.post(
        f"/moderation/p/{branch.id}/split",
        data={"split-title": "Satellite links", "split-reason": "Own topic"},
    )
    new_id = int(response.headers["Location"].rsplit("/t/", 1)[1].split("?")[0])

    html = client_for(app, make.user()).get(f"/t/{new_id}?view={view}").get_data(as_text=True)
    origin = select_one(html, ".split-from")
    assert origin.text == "Split from «Telemedicine in rural clinics»"
    assert select_one(html, ".split-from a").get("href") == f"/t/{thread.id}"
    assert not select(html, ".merged-from")


def test_a_split_branch_does_not_name_a_thread_the_reader_may_not_read(app, make):
    thread = make.thread(title="A thread that will be hidden")
    branch = make.reply(thread, body="Satellite links worked in our pilot")
    moderator_user = make.moderator()
    moderator = client_for(app, moderator_user)
    response = moderator.post(
        f"/moderation/p/{branch.id}/split",
        data={"split-title": "Satellite links", "split-reason": "Own topic"},
    )
    new_id = int(response.headers["Location"].rsplit("/t/", 1)[1].split("?")[0])
    make.hidden(thread, moderator_user)

    html = client_for(app, make.user()).get(f"/t/{new_id}").get_data(as_text=True)
    assert select_one(html, ".split-from").text == "Split from another thread"
    assert select_one(html, ".split-from a") is None
    assert "A thread that will be hidden" not in html
