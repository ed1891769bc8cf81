"""The permission table: role × action → allowed, checked through the routes a person uses."""

import pytest

ROLES = ["anonymous", "member", "author", "moderator", "other_moderator", "admin"]
# action -> roles allowed
ALLOWED = {
    "view": {"anonymous", "member", "author", "moderator", "other_moderator", "admin"},
    "reply": {"member", "author", "moderator", "other_moderator", "admin"},
    "edit": {"author", "moderator", "admin"},
    "delete": {"author", "moderator", "admin"},
}


@pytest.fixture
def scene(make):
    author = make.user("author")
    thread = make.thread("c7-e-health")
    post = make.reply(thread, author=author, body="The post under test")
    people = {
        "anonymous": None,
        "member": make.user("member"),
        "author": author,
        "moderator": make.moderator("c7-e-health", "mod"),
        "other_moderator": make.moderator("c2", "othermod"),
        "admin": make.admin("admin"),
    }
    return thread, post, people


def attempt(client, action, thread, post):
    if action == "view":
        return client.get(f"/t/{thread.id}")
    if action == "reply":
        return client.post(f"/t/{thread.id}/reply", data={"body": "a reply", "parent_id": post.id})
    if action == "edit":
        return client.post(f"/p/{post.id}/edit", data={"body": "an edited body", "reason": "clarity"})
    return client.post(f"/p/{post.id}/delete")


@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_table(client, auth, scene, role, action):
    thread, post, people = scene
    if people[role] is not None:
        auth.login(people[role])
    response = attempt(client, action, thread, post)
    if role in ALLOWED[action]:
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert "/auth/login" not in response.headers["Location"]
    elif role == "anonymous":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_action_links_match_permissions(client, auth, scene, role):
    """The template shows Edit/Delete exactly to those the server would let through."""
    thread, post, people = scene
    if people[role] is not None:
        auth.login(people[role])
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    article = page[page.index(f'id="p{post.id}"') :]
    article = article[: article.index("</article>")]
    assert (f"/p/{post.id}/edit" in article) == (role in ALLOWED["edit"])
    assert (f"/p/{post.id}/delete" in article) == (role in ALLOWED["delete"])
    assert ("reply-link" in article) == (role in ALLOWED["reply"])


def test_locked_thread_refuses_member_replies_but_not_moderators(client, auth, make, app):
    thread = make.locked(make.thread())
    auth.login(make.user())
    assert client.post(f"/t/{thread.id}/reply", data={"body": "let me in"}).status_code == 403
    assert "This thread is locked" in client.get(f"/t/{thread.id}").get_data(as_text=True)
    auth.login(make.moderator())
    assert client.post(f"/t/{thread.id}/reply", data={"body": "moderator note"}).status_code == 302


def test_thread_in_restricted_community_is_hidden(client, auth, make):
    closed = make.restricted_community()
    thread = make.thread(closed.slug)
    assert client.get(f"/t/{thread.id}").status_code == 404
    auth.login(make.user())
    assert client.get(f"/t/{thread.id}").status_code == 404
    assert client.post(f"/t/{thread.id}/reply", data={"body": "sneaky"}).status_code == 404
