"""Posts held for approval (APPROVE_POST_COUNT, a community's "approve all new posts") and new
accounts awaiting approval (MUST_APPROVE_USERS): who is held, who sees what, and what approving or
rejecting publishes, notifies and records."""

import pytest

from app.auth.models import User
from app.communities.models import Community, CommunityFollow
from app.discussions.models import Post, Thread
from app.extensions import db
from app.moderation.models import ReviewItem
from app.notifications.models import Notification
from app.realtime.models import RoomEvent
from tests.moderation.helpers import audit_actions
from tests.support.pages import page_text, search

BODY = "Broadband vouchers for zanzibar schools"


def _set_community_approval(app, on: bool, slug="c7-e-health") -> None:
    with app.app_context():
        db.session.execute(db.select(Community).filter_by(slug=slug)).scalar_one().approve_new_posts = on
        db.session.commit()


def _reply(client, auth, user, thread, body=BODY):
    auth.login(user)
    response = client.post(f"/t/{thread.id}/reply", data={"body": body}, follow_redirects=True)
    assert response.status_code == 200
    with client.application.app_context():
        post = db.session.execute(db.select(Post).filter_by(body_source=body)).scalars().first()
    return post, response.get_data(as_text=True)


def _held_item(app, target_type, target_id) -> ReviewItem:
    with app.app_context():
        return db.session.execute(
            db.select(ReviewItem).filter_by(target_type=target_type, target_id=target_id, held=True)
        ).scalar_one()


def _counts(app, thread_id):
    """Room events, notifications, the thread's post count: what a held post must not change."""
    with app.app_context():
        events = db.session.execute(db.select(db.func.count(RoomEvent.id))).scalar()
        notes = db.session.execute(db.select(db.func.count(Notification.id))).scalar()
        return events, notes, db.session.get(Thread, thread_id).post_count


# approve_post_count, community setting on, who posts, published posts they already have → held
HOLD_RULES = [
    (0, False, "member", 0, False),
    (2, False, "member", 0, True),
    (2, False, "member", 1, True),
    (2, False, "member", 2, False),
    (0, True, "member", 5, True),
    (2, True, "moderator", 0, False),
    (2, True, "admin", 0, False),
]


@pytest.mark.parametrize("count, community_on, role, published, held", HOLD_RULES)
def test_who_is_held(app, client, auth, make, count, community_on, role, published, held):
    thread = make.thread()
    user = {"member": make.user, "moderator": make.moderator, "admin": make.admin}[role]()
    for number in range(published):
        make.reply(thread, author=user, body=f"Earlier post number {number}")
    app.config["APPROVE_POST_COUNT"] = count
    _set_community_approval(app, community_on)
    post, page = _reply(client, auth, user, thread)
    assert (post.held_at is not None) is held
    assert ("awaits a moderator" in page) is held
    assert ("Awaiting approval" in page) is held  # the author sees it, marked


def test_posts_the_member_deleted_do_not_count_towards_approval(app, client, auth, make):
    thread = make.thread()
    user = make.user()
    for number in range(2):
        make.deleted(make.reply(thread, author=user, body=f"Earlier post number {number}"))
    app.config["APPROVE_POST_COUNT"] = 2
    post, page = _reply(client, auth, user, thread)
    assert post.held_at is not None
    assert "awaits a moderator" in page


def test_new_thread_is_held_when_the_community_approves_all_posts(app, client, auth, make):
    _set_community_approval(app, True)
    follower = make.user()
    with app.app_context():
        community = db.session.execute(db.select(Community).filter_by(slug="c7-e-health")).scalar_one()
        db.session.add(CommunityFollow(community_id=community.id, user_id=follower.id))
        db.session.commit()
    author = auth.login(make.user())
    response = client.post("/c/c7-e-health/new", data={"title": "Zanzibar vouchers", "body": BODY})
    thread_id = int(response.headers["Location"].rsplit("/t/", 1)[1])
    page = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "awaits a moderator's approval" in page.replace("&#39;", "'")
    assert "Awaiting approval" in client.get("/c/c7-e-health").get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Notification.id))).scalar() == 0
        assert db.session.execute(db.select(db.func.count(RoomEvent.id))).scalar() == 0
    for viewer in (None, make.user()):
        auth.logout() if viewer is None else auth.login(viewer)
        assert client.get(f"/t/{thread_id}").status_code == 404
        assert "Zanzibar vouchers" not in client.get("/c/c7-e-health").get_data(as_text=True)
        assert search(client, "zanzibar")[0] == []
    auth.login(make.moderator())
    item = _held_item(app, "thread", thread_id)
    assert "Thread awaiting approval" in client.get("/moderation").get_data(as_text=True)
    response = client.post(f"/moderation/items/{item.id}/decide", data={"decision": "approve", "note": "ok"})
    assert response.status_code == 302
    auth.logout()
    assert "Zanzibar vouchers" in client.get("/c/c7-e-health").get_data(as_text=True)
    assert search(client, "zanzibar")[0] == [("thread", thread_id)]
    with app.app_context():
        kinds = set(db.session.execute(db.select(Notification.kind, Notification.user_id)).all())
        assert kinds == {("new_thread", follower.id), ("post_approved", author.id)}
        events = set(db.session.execute(db.select(RoomEvent.event)).scalars())
        assert "thread_created" in events
    assert audit_actions(app)[-1:] == [("approve_thread", "thread", thread_id)]
    assert author.id != follower.id


# who looks at the thread → sees the held reply's text
VIEWERS = [("anonymous", False), ("member", False), ("author", True), ("moderator", True)]


@pytest.mark.parametrize("viewer, sees", VIEWERS)
def test_only_the_author_and_moderators_see_a_held_reply(app, client, auth, make, viewer, sees):
    thread = make.thread()
    app.config["APPROVE_POST_COUNT"] = 1
    author = make.user()
    post, _ = _reply(client, auth, author, thread)
    auth.logout()
    users = {"member": make.user, "author": lambda: author, "moderator": make.moderator}
    if viewer != "anonymous":
        auth.login(users[viewer]())
    for view in ("tree", "flat"):
        assert (BODY in client.get(f"/t/{thread.id}?view={view}").get_data(as_text=True)) is sees
    assert client.get(f"/p/{post.id}").status_code == (302 if sees else 404)
    assert (BODY in client.get(f"/u/{author.username}").get_data(as_text=True)) is False
    assert search(client, "zanzibar")[0] == []


def test_approving_a_reply_publishes_it_and_fires_what_creation_did_not(app, client, auth, make):
    parent_author = make.user()
    thread = make.thread(author=parent_author)
    app.config["APPROVE_POST_COUNT"] = 1
    before = _counts(app, thread.id)
    post, _ = _reply(client, auth, make.user(), thread, body=BODY + " @" + parent_author.username)
    assert _counts(app, thread.id) == before  # no live event, no notification, not counted
    moderator = auth.login(make.moderator())
    item = _held_item(app, "post", post.id)
    refused = client.post(f"/moderation/items/{item.id}/decide", data={"decision": "approve", "note": ""})
    assert refused.status_code == 400 and "Write a note for the record." in refused.get_data(as_text=True)
    assert _counts(app, thread.id) == before
    response = client.post(f"/moderation/items/{item.id}/decide", data={"decision": "approve", "note": "ok"})
    assert response.status_code == 302
    events, notes, post_count = _counts(app, thread.id)
    assert events > before[0] and notes == before[1] + 2 and post_count == before[2] + 1
    with app.app_context():
        assert db.session.get(Post, post.id).held_at is None
        notified = db.session.execute(db.select(Notification).order_by(Notification.id)).scalars().all()
        assert sorted((n.user_id, n.actor_id, n.kind) for n in notified) == sorted(
            [
                (parent_author.id, post.author_id, "reply"),  # as if just posted: the parent's author
                (post.author_id, moderator.id, "post_approved"),  # and the author learns of the decision
            ]
        )
        assert db.session.execute(
            db.select(RoomEvent).filter_by(room=f"thread:{thread.id}", event="post_created")
        ).scalar_one()
    auth.logout()
    assert BODY in client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert search(client, "zanzibar")[0] == [("post", post.id)]
    assert audit_actions(app).count(("approve_post", "post", post.id)) == 1
    assert moderator.id != post.author_id


def test_rejecting_keeps_a_post_unpublished(app, client, auth, make):
    _set_community_approval(app, True)
    thread = make.thread(author=make.moderator())
    author = make.user()
    post, _ = _reply(client, auth, author, thread)
    before = _counts(app, thread.id)
    auth.login(make.moderator())
    item = _held_item(app, "post", post.id)
    response = client.post(f"/moderation/items/{item.id}/decide", data={"decision": "reject", "note": "spam"})
    assert response.status_code == 302
    _, notes, post_count = _counts(app, thread.id)
    assert (notes, post_count) == (before[1] + 1, before[2])  # only the author's notice
    with app.app_context():  # nothing went live in the thread
        assert not db.session.execute(db.select(RoomEvent).filter_by(room=f"thread:{thread.id}")).first()
    assert "Post awaiting approval" not in client.get("/moderation").get_data(as_text=True)
    auth.login(make.user())
    assert BODY not in client.get(f"/t/{thread.id}").get_data(as_text=True)
    auth.login(author)
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert BODY not in page and "This post was hidden by a moderator." in page
    assert "was not approved: spam" in page_text(client.get("/notifications").get_data(as_text=True))
    assert search(client, "zanzibar")[0] == []
    assert audit_actions(app).count(("reject_post", "post", post.id)) == 1
    with app.app_context():
        assert db.session.get(ReviewItem, item.id).decision == "reject"


def test_report_decisions_do_not_apply_to_held_items(app, client, auth, make):
    _set_community_approval(app, True)
    thread = make.thread(author=make.moderator())
    post, _ = _reply(client, auth, make.user(), thread)
    auth.login(make.moderator())
    item = _held_item(app, "post", post.id)
    response = client.post(
        f"/moderation/items/{item.id}/decide", data={"decision": "dismiss", "note": "Looks fine to me"}
    )
    assert response.status_code == 400
    assert "Looks fine to me</textarea>" in response.get_data(as_text=True)  # what was typed comes back
    assert audit_actions(app) == []


def test_moderators_switch_approval_of_new_posts(app, client, auth, make):
    moderator = auth.login(make.moderator())
    page = client.get("/moderation/c/c7-e-health").get_data(as_text=True)
    assert "Hold new posts for approval" in page
    assert client.post("/moderation/c/c7-e-health/post-approval/on", data={}).status_code == 302
    assert client.post("/moderation/c/c7-e-health/post-approval/on", data={}).status_code == 400
    assert client.post("/moderation/c/c7-e-health/post-approval/off", data={}).status_code == 302
    assert [row[0] for row in audit_actions(app)] == ["set_post_approval", "set_post_approval"]
    assert moderator.is_admin is False


def test_new_accounts_wait_for_an_administrator(app, client, auth, make):
    app.config["MUST_APPROVE_USERS"] = True
    form = {"username": "newcomer", "email": "newcomer@example.org", "password": "a long enough password",
            "password_confirm": "a long enough password", "stakeholder_type": "academia"}  # fmt: skip
    response = client.post("/auth/register", data=form, follow_redirects=True)
    assert "awaits approval by an administrator" in response.get_data(as_text=True)
    assert "/auth/logout" not in response.get_data(as_text=True)
    sign_in = {"username": "newcomer", "password": "a long enough password"}
    refused = client.post("/auth/login", data=sign_in)
    assert refused.status_code == 400
    assert "awaits approval by an administrator" in refused.get_data(as_text=True)
    with app.app_context():
        newcomer = db.session.execute(db.select(User).filter_by(username="newcomer")).scalar_one()
    auth.login(make.admin())
    assert "newcomer" in client.get("/moderation").get_data(as_text=True)
    no_note = client.post(f"/moderation/accounts/{newcomer.id}/approve", data={"account-note": ""})
    assert no_note.status_code == 400
    ok = client.post(f"/moderation/accounts/{newcomer.id}/approve", data={"account-note": "Known to us"})
    assert ok.status_code == 302
    assert audit_actions(app) == [("approve_account", "user", newcomer.id)]
    auth.logout()
    assert client.post("/auth/login", data=sign_in).status_code == 302
    assert "Your account was approved." in client.get("/notifications").get_data(as_text=True)


def test_a_rejected_account_cannot_sign_in(app, client, auth, make):
    app.config["MUST_APPROVE_USERS"] = True
    pending = make.user(password="a long enough password", approval="pending")
    session_id = pending.get_id()
    auth.login(make.admin())
    response = client.post(f"/moderation/accounts/{pending.id}/reject", data={"account-note": "Spam bot"})
    assert response.status_code == 302
    assert (
        client.post(f"/moderation/accounts/{pending.id}/reject", data={"account-note": "x"}).status_code
        == 400
    )
    auth.logout()
    refused = client.post(
        "/auth/login", data={"username": pending.username, "password": "a long enough password"}
    )
    assert refused.status_code == 400 and "was not approved" in refused.get_data(as_text=True)
    with client.session_transaction() as session:  # an old cookie does not let it in either
        session["_user_id"] = session_id
    assert client.get("/settings").status_code == 302
    assert audit_actions(app) == [("reject_account", "user", pending.id)]


def test_an_accepted_contributions_discussion_is_not_held_again(app):
    from app.consultation.models import Contribution
    from tests.factories import setup_data

    _set_community_approval(app, True)
    app.config["APPROVE_POST_COUNT"] = 5
    with setup_data(app) as build:
        contribution_id = build.contribution(build.consultation(), state="accepted").id
    with app.app_context():
        thread = db.session.get(Contribution, contribution_id).thread
        assert thread is not None and thread.held_at is None
        assert db.session.execute(db.select(db.func.count(ReviewItem.id))).scalar() == 0


@pytest.mark.parametrize(
    "switched_on, posted_in, held",
    [("c7", "c7-e-health", True), ("c7", "c7", True), ("c7-e-health", "c7", False),
     ("c7-e-health", "c7-e-learning", False), ("c1", "c7-e-health", False)],
)  # fmt: skip
def test_approval_on_an_action_line_holds_its_sub_lines(
    app, client, auth, make, switched_on, posted_in, held
):
    thread = make.thread(community=posted_in)
    _set_community_approval(app, True, slug=switched_on)
    post, page = _reply(client, auth, make.user(), thread)
    assert (post.held_at is not None) is held
    assert ("Awaiting approval" in page) is held


def _thread_count(app, thread_id) -> int:
    with app.app_context():
        return db.session.get(Thread, thread_id).post_count


def test_split_counts_only_published_posts_and_approval_counts_the_held_one(app, client, auth, make):
    thread = make.thread()
    branch_root = make.reply(thread, body="Satellite links worked in our pilot")
    app.config["APPROVE_POST_COUNT"] = 1
    held, _ = _reply(client, auth, make.user(), thread, body="A held reply in the thread")
    with app.app_context():
        db.session.get(Post, held.id).parent_id = branch_root.id  # make it part of the branch
        row = db.session.get(Post, held.id)
        row.tree_path = (
            db.session.get(Post, branch_root.id).tree_path + row.tree_path[row.tree_path.rindex(".") :]
        )
        row.depth = 2
        db.session.commit()
    assert _thread_count(app, thread.id) == 2  # opening and the branch root
    auth.login(make.moderator())
    response = client.post(
        f"/moderation/p/{branch_root.id}/split",
        data={"split-title": "Satellite costs", "split-reason": "Own topic"},
    )
    new_id = int(response.headers["Location"].rsplit("/t/", 1)[1].split("?")[0])
    assert _thread_count(app, new_id) == 1  # the branch root; the held reply waits
    assert _thread_count(app, thread.id) == 2  # opening and the split notice
    item = _held_item(app, "post", held.id)
    client.post(f"/moderation/items/{item.id}/decide", data={"decision": "approve", "note": "fine"})
    assert _thread_count(app, new_id) == 2


def test_merge_counts_only_published_posts(app, client, auth, make):
    source, target = make.thread(title="Source thread here"), make.thread(title="Target thread here")
    app.config["APPROVE_POST_COUNT"] = 1
    _reply(client, auth, make.user(), source, body="Held reply in the source thread")
    auth.login(make.moderator())
    client.post(
        f"/moderation/t/{source.id}/merge", data={"merge-target": str(target.id), "merge-reason": "Same"}
    )
    assert _thread_count(app, target.id) == 2  # both opening posts; the held reply is not counted


@pytest.mark.parametrize(
    "viewer, pages, sees_held", [("author", 2, True), ("moderator", 2, True), ("other", 1, False)]
)
def test_held_posts_shown_count_in_the_pages(app, client, auth, make, viewer, pages, sees_held):
    app.config["POSTS_PER_PAGE"] = 3
    thread = make.thread()
    make.reply(thread, body="second published post")
    make.reply(thread, body="third published post")
    app.config["APPROVE_POST_COUNT"] = 1
    author = make.user()
    _reply(client, auth, author, thread, body="A held fourth post")
    auth.login({"author": author, "moderator": make.moderator(), "other": make.user()}[viewer])
    last = client.get(f"/t/{thread.id}?view=flat&page={pages}").get_data(as_text=True)
    assert ("A held fourth post" in last) is sees_held
    assert (f"page={pages + 1}" in last) is False  # no page beyond the last
    if pages == 2:
        assert "third published post" not in last and "third published post" in client.get(
            f"/t/{thread.id}?view=flat&page=1"
        ).get_data(as_text=True)
