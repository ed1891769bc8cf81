"""Split, merge and move keep every post, and every tree stays consistent."""

from app.core.audit import AuditEntry
from app.discussions.models import Post, Thread
from app.extensions import db
from app.moderation.models import ThreadMerge
from tests.moderation.helpers import assert_tree_consistent, audit_actions, thread_post_ids


def _branchy_thread(make):
    """opening ─ a ─ a1 ─ a1x
      └ a2
    b ─ b1"""
    thread = make.thread()
    a = make.reply(thread, body="reply a")
    a1 = make.reply(thread, parent=a, body="reply a1")
    a1x = make.reply(thread, parent=a1, body="reply a1x")
    a2 = make.reply(thread, parent=a, body="reply a2")
    b = make.reply(thread, body="reply b")
    b1 = make.reply(thread, parent=b, body="reply b1")
    return thread, dict(a=a, a1=a1, a1x=a1x, a2=a2, b=b, b1=b1)


def test_split_moves_the_branch_and_leaves_a_link(app, client, auth, make):
    thread, posts = _branchy_thread(make)
    auth.login(make.moderator())
    before = set(thread_post_ids(app, thread.id))
    response = client.post(
        f"/moderation/p/{posts['a1'].id}/split",
        data={"split-title": "Satellite costs per clinic", "split-reason": "Own topic"},
    )
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rsplit("/t/", 1)[1].split("?")[0])
    moved = thread_post_ids(app, new_id)
    assert moved == [posts["a1"].id, posts["a1x"].id]
    remaining = thread_post_ids(app, thread.id)
    assert set(remaining) | set(moved) == before | (set(remaining) - before)
    assert before - set(moved) <= set(remaining)
    assert_tree_consistent(app, thread.id)
    assert_tree_consistent(app, new_id)
    with app.app_context():
        new = db.session.get(Thread, new_id)
        assert new.title == "Satellite costs per clinic"
        assert new.author_id == posts["a1"].author_id
        notice = db.session.get(Post, (set(remaining) - before).pop())
        assert notice.parent_id == posts["a"].id
        assert f'href="/t/{new_id}"' in notice.body_html
    assert audit_actions(app).count(("split_thread", "thread", thread.id)) == 1


def test_split_of_the_opening_post_is_refused(app, client, auth, make):
    thread = make.thread()
    auth.login(make.moderator())
    opening = make.opening_post(thread)
    response = client.post(
        f"/moderation/p/{opening.id}/split", data={"split-title": "A new thread", "split-reason": "x"}
    )
    assert response.status_code == 400
    assert_tree_consistent(app, thread.id)
    assert audit_actions(app) == []


def test_merge_makes_the_thread_a_branch_and_redirects(app, client, auth, make):
    target, _ = _branchy_thread(make)
    source, source_posts = _branchy_thread(make)
    before = set(thread_post_ids(app, target.id)) | set(thread_post_ids(app, source.id))
    auth.login(make.moderator())
    response = client.post(
        f"/moderation/t/{source.id}/merge",
        data={"merge-target": f"http://localhost/t/{target.id}", "merge-reason": "Same topic"},
    )
    assert response.status_code == 302
    assert set(thread_post_ids(app, target.id)) == before
    assert thread_post_ids(app, source.id) == []
    assert_tree_consistent(app, target.id)
    with app.app_context():
        source_opening = (
            db.session.execute(
                db.select(Post).where(
                    Post.id.in_(before),
                    Post.depth == 1,
                    Post.body_source == "How do we connect rural clinics?",
                )
            )
            .scalars()
            .all()
        )
        assert len(source_opening) == 1
        assert db.session.get(ThreadMerge, source.id).target_thread_id == target.id
    redirect = client.get(f"/t/{source.id}")
    assert redirect.status_code == 302 and redirect.headers["Location"].endswith(f"/t/{target.id}")
    assert client.post(f"/t/{source.id}/reply", data={"body": "late reply"}).status_code == 404
    assert audit_actions(app).count(("merge_thread", "thread", source.id)) == 1


def test_merge_into_itself_or_unknown_thread_is_refused(app, client, auth, make):
    thread = make.thread()
    auth.login(make.moderator())
    for target in (str(thread.id), "999999", "2147483648", "not a thread"):  # beyond a 32-bit id too
        response = client.post(
            f"/moderation/t/{thread.id}/merge", data={"merge-target": target, "merge-reason": "x"}
        )
        assert response.status_code == 400
    assert_tree_consistent(app, thread.id)
    assert audit_actions(app) == []


def test_merge_needs_moderation_rights_on_both_threads(app, client, auth, make):
    mine = make.thread()
    elsewhere = make.thread(community="c1")
    auth.login(make.moderator())
    response = client.post(
        f"/moderation/t/{mine.id}/merge", data={"merge-target": str(elsewhere.id), "merge-reason": "x"}
    )
    assert response.status_code == 400
    assert thread_post_ids(app, mine.id)


def test_move_between_communities_keeps_posts(app, client, auth, make):
    thread, _ = _branchy_thread(make)
    before = thread_post_ids(app, thread.id)
    moderator = make.moderator()
    make_moderator_of(app, moderator, "c7-e-learning")
    auth.login(moderator)
    response = client.post(
        f"/moderation/t/{thread.id}/move", data={"move-community": "c7-e-learning", "move-reason": "Topic"}
    )
    assert response.status_code == 302
    assert thread_post_ids(app, thread.id) == before
    with app.app_context():
        assert db.session.get(Thread, thread.id).community.slug == "c7-e-learning"
        entry = db.session.execute(db.select(AuditEntry).filter_by(action="move_thread")).scalar_one()
        assert entry.before == {"community": "c7-e-health"} and entry.after == {"community": "c7-e-learning"}
    assert_tree_consistent(app, thread.id)


def test_open_review_items_follow_a_moved_thread_to_its_new_moderators(app, client, auth, make):
    thread = make.thread()
    reported = make.reply(thread, body="Buy cheap pills here")
    auth.login(make.user())
    assert client.post(f"/moderation/report/post/{reported.id}", data={"reason": "spam"}).status_code == 302
    old_moderator, new_moderator = make.moderator("c7-e-health"), make.moderator("c7-e-learning")
    auth.login(make.admin())
    response = client.post(
        f"/moderation/t/{thread.id}/move", data={"move-community": "c7-e-learning", "move-reason": "Topic"}
    )
    assert response.status_code == 302
    auth.login(new_moderator)
    assert "Buy cheap pills here" in client.get("/moderation").get_data(as_text=True)
    auth.login(old_moderator)
    assert "Buy cheap pills here" not in client.get("/moderation").get_data(as_text=True)


def test_move_to_a_community_not_moderated_is_refused(app, client, auth, make):
    thread = make.thread()
    auth.login(make.moderator())
    response = client.post(
        f"/moderation/t/{thread.id}/move", data={"move-community": "c1", "move-reason": "x"}
    )
    assert response.status_code == 400
    assert make.get(Thread, thread.id).community_id == thread.community_id


def make_moderator_of(app, user, slug):
    from app.communities.models import Community, CommunityModerator

    with app.app_context():
        community = db.session.execute(db.select(Community).filter_by(slug=slug)).scalar_one()
        db.session.add(CommunityModerator(community_id=community.id, user_id=user.id))
        db.session.commit()
