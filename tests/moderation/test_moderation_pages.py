"""The review queue leads with the queue; each community's moderation page holds its "hold new posts"
switch; a community that keeps its moderation log private says so (issue 20)."""

from app.communities.models import Community
from app.extensions import db
from tests.support.pages import page_text, select, select_one, texts


def _community(app, slug) -> Community:
    with app.app_context():
        return db.session.execute(db.select(Community).filter_by(slug=slug)).scalar_one()


def test_the_queue_shows_the_queue_and_points_to_the_community_pages(app, client, auth, make):
    thread = make.thread()
    make.reported(make.reply(thread, body="A reply somebody reported"), make.user())
    auth.login(make.moderator("c7"))
    html = client.get("/moderation").get_data(as_text=True)
    assert len(select(html, "li.review-item")) == 1
    assert not select(
        html, "form[action*='post-approval']"
    )  # no switches between the moderator and the queue
    links = {link.get("href") for link in select(html, ".community-settings a")}
    assert "/moderation/c/c7" in links and "/moderation/c/c7-e-health" in links
    assert "/moderation/c/c1" not in links  # only what this moderator moderates


def test_a_community_moderator_holds_new_posts_from_the_community_page(app, client, auth, make):
    auth.login(make.moderator("c7"))
    html = client.get("/moderation/c/c7-e-health").get_data(as_text=True)
    switch = select_one(html, "form[action='/moderation/c/c7-e-health/post-approval/on']")
    assert switch is not None and "Hold new posts for approval" in switch.text
    assert not select(html, "form[action='/moderation/c/c7-e-health/moderators']")  # administrators' part

    response = client.post(
        "/moderation/c/c7-e-health/post-approval/on", data={"approval-reason": "Spam wave"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/moderation/c/c7-e-health")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "New posts in C7 E-health now need approval." in page_text(html)
    assert "Approval on" in texts(html, "#post-approval .badge")
    assert select_one(html, "form[action='/moderation/c/c7-e-health/post-approval/off']") is not None
    assert _community(app, "c7-e-health").approve_new_posts is True


def test_a_sub_line_shows_approval_inherited_from_its_action_line(app, client, auth, make):
    auth.login(make.moderator("c7"))
    client.post("/moderation/c/c7/post-approval/on")
    html = client.get("/moderation/c/c7-e-health").get_data(as_text=True)
    assert "Approval on through C7" in texts(html, "#post-approval .badge")
    assert not select(html, "form[action*='post-approval']")  # its own switch does nothing while C7's is on
    assert select_one(html, "#post-approval a[href='/moderation/c/c7']") is not None


def test_a_refused_switch_shows_the_community_page_again_with_the_reason_typed(app, client, auth, make):
    auth.login(make.moderator("c7"))
    reason = "x" * 1001  # longer than a reason may be
    response = client.post("/moderation/c/c7-e-health/post-approval/on", data={"approval-reason": reason})
    assert response.status_code == 400
    field = select_one(response.get_data(as_text=True), "#post-approval input[name='approval-reason']")
    assert field.get("value") == reason
    assert _community(app, "c7-e-health").approve_new_posts is False


def test_a_community_without_a_public_log_says_so(app, client, make):
    make.hidden(make.reply(make.thread()), make.moderator())
    response = client.get("/c/c7-e-health/moderation-log")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "This community does not publish its moderation log." in page_text(html)
    assert not select(html, "tr.audit-entry")


def test_the_community_page_leads_its_moderators_to_their_moderation_page(app, client, auth, make):
    auth.login(make.moderator("c7"))
    html = client.get("/c/c7-e-health").get_data(as_text=True)
    assert select_one(html, ".moderation-links a[href='/moderation/c/c7-e-health']") is not None
    auth.login(make.moderator("c1"))
    html = client.get("/c/c7-e-health").get_data(as_text=True)
    assert select_one(html, "a[href='/moderation/c/c7-e-health']") is None
