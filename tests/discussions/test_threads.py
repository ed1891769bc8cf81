"""Starting threads, replying, tree and flat views, permalinks, edits, revisions, soft delete."""

import pytest

from app.discussions.models import Post, PostRevision, Thread
from app.extensions import db
from tests.support.pages import select, select_one


def post_ids(html):
    return [int(article.get("data-post-id")) for article in select(html, "article.post")]


def count(app, model):
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar()


def test_start_thread_shows_opening_post_rendered(client, auth, make):
    auth.login(make.user("amina", organisation="WHO"))
    response = client.post(
        "/c/c7-e-health/new", data={"title": "Telehealth in the Sahel", "body": "Opening **post**"}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Telehealth in the Sahel" in page and "<strong>post</strong>" in page
    assert "WHO" in page and 'data-parent-id=""' in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "", "body": "A body of text"}, "Give the thread a title."),
        ({"title": "Hi", "body": "A body of text"}, "A title must be between 5 and 200 characters."),
        ({"title": "T" * 201, "body": "A body of text"}, "A title must be between 5 and 200 characters."),
        ({"title": "A fine title", "body": ""}, "Write something before posting."),
        ({"title": "A fine title", "body": "x" * 20001}, "A post must be between 2 and 20000 characters."),
    ],
)
def test_bad_new_thread_comes_back_with_message_and_nothing_saved(client, auth, make, app, data, message):
    auth.login(make.user())
    response = client.post("/c/c7-e-health/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    if data["title"] and len(data["title"]) < 50:
        assert f'value="{data["title"]}"' in page
    assert count(app, Thread) == 0 and count(app, Post) == 0


def test_posting_while_signed_out_redirects_to_sign_in(client, make):
    thread = make.thread()
    for url in ["/c/c7-e-health/new", f"/t/{thread.id}/reply"]:
        response = client.post(url, data={"title": "Some title", "body": "Some body"})
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_reply_to_a_reply_nests_in_tree_and_is_last_in_flat(client, auth, make):
    thread = make.thread()
    first = make.reply(thread, body="First reply")
    second = make.reply(thread, body="Second reply")
    auth.login(make.user())
    response = client.post(
        f"/t/{thread.id}/reply", data={"body": "Reply to the first", "parent_id": first.id}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#p" + str(first.id + 2))
    nested_id = first.id + 2
    opening = make.opening_post(thread)
    tree = client.get(f"/t/{thread.id}?view=tree").get_data(as_text=True)
    flat = client.get(f"/t/{thread.id}?view=flat").get_data(as_text=True)
    assert post_ids(tree) == [opening.id, first.id, nested_id, second.id]
    assert post_ids(flat) == [opening.id, first.id, second.id, nested_id]
    assert select_one(tree, f"article#p{nested_id}").get("data-parent-id") == str(first.id)
    assert "in reply to" in flat


def test_deep_tree_has_no_depth_limit_in_storage(client, make):
    thread = make.thread()
    parent = None
    for _ in range(12):
        parent = make.reply(thread, parent=parent)
    assert parent.depth == 12
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert f'id="p{parent.id}"' in page and 'data-depth="12"' in page


def test_view_choice_is_remembered_for_the_user(client, auth, make):
    thread = make.thread()
    auth.login(make.user())
    client.get(f"/t/{thread.id}?view=flat")
    assert 'data-view="flat"' in client.get(f"/t/{thread.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    "parent_id, message",
    [("999999", "The post you reply to is not in this thread."), ("abc", "That post does not exist.")],
)
def test_reply_with_bad_parent_is_refused_with_text_kept(client, auth, make, app, parent_id, message):
    thread = make.thread()
    auth.login(make.user())
    response = client.post(f"/t/{thread.id}/reply", data={"body": "my careful reply", "parent_id": parent_id})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and "my careful reply" in page
    assert count(app, Post) == 1


def test_reply_to_a_post_of_another_thread_is_refused(client, auth, make, app):
    thread, other = make.thread(), make.thread(title="Another thread here")
    foreign = make.opening_post(other)
    auth.login(make.user())
    response = client.post(f"/t/{thread.id}/reply", data={"body": "misdirected", "parent_id": foreign.id})
    assert response.status_code == 400
    assert "The post you reply to is not in this thread." in response.get_data(as_text=True)
    assert count(app, Post) == 2


@pytest.mark.parametrize(
    "url", ["/t/abc", "/t/99999", "/p/abc", "/p/99999", "/p/99999/history", "/c/nowhere/new"]
)
def test_bad_ids_are_404(client, auth, make, url):
    auth.login(make.user())
    assert client.get(url).status_code == 404


def test_permalink_redirects_to_the_right_page(client, make, app):
    app.config["POSTS_PER_PAGE"] = 5
    thread = make.thread()
    posts = [make.reply(thread, body=f"reply number {n}") for n in range(11)]
    target = posts[7]  # position 8 of 12 in both orders (flat replies to the opening post)
    response = client.get(f"/p/{target.id}")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "page=2" in location and location.endswith(f"#p{target.id}")
    assert f'id="p{target.id}"' in client.get(location).get_data(as_text=True)


def test_quote_prefills_the_reply_form(client, auth, make):
    thread = make.thread(author=make.user("amina"), body="Original line")
    opening = make.opening_post(thread)
    auth.login(make.user())
    page = client.get(f"/t/{thread.id}?reply_to={opening.id}&quote=1").get_data(as_text=True)
    assert f"@amina [wrote ↩](/p/{opening.id}):\n&gt; Original line" in page
    assert select_one(page, "input#parent_id[type=hidden]").get("value") == str(opening.id)


def test_edit_keeps_every_revision_and_shows_edited(client, auth, make, app):
    author = make.user("amina")
    thread = make.thread(author=author, body="First version")
    post = make.reply(thread, author=author, body="Reply v1")
    auth.login(author)
    assert client.get(f"/p/{post.id}/edit").status_code == 200
    client.post(f"/p/{post.id}/edit", data={"body": "Reply v2"})
    client.post(f"/p/{post.id}/edit", data={"body": "Reply v3", "reason": "typo"})
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Reply v3" in page and ">edited<" in page
    history = client.get(f"/p/{post.id}/history").get_data(as_text=True)
    assert all(text in history for text in ["Reply v1", "Reply v2", "Reply v3", "typo", "Version 3"])
    with app.app_context():
        numbers = (
            db.session.execute(db.select(PostRevision.number).filter_by(post_id=post.id)).scalars().all()
        )
        assert sorted(numbers) == [1, 2, 3]


def test_an_unedited_post_is_stored_once_and_its_history_shows_it_as_version_1(client, make, app):
    post = make.reply(make.thread(), body="Said once, kept once")
    with app.app_context():
        assert db.session.execute(db.select(PostRevision).filter_by(post_id=post.id)).first() is None
    history = client.get(f"/p/{post.id}/history").get_data(as_text=True)
    assert "Version 1" in history and "Said once, kept once" in history


def test_edit_with_empty_body_comes_back(client, auth, make):
    author = make.user()
    post = make.reply(make.thread(), author=author)
    auth.login(author)
    response = client.post(f"/p/{post.id}/edit", data={"body": ""})
    assert response.status_code == 400 and "Write something before posting." in response.get_data(
        as_text=True
    )


def test_soft_delete_leaves_placeholder_and_replies(client, auth, make, app):
    author = make.user()
    thread = make.thread()
    post = make.reply(thread, author=author, body="Regrettable words")
    child = make.reply(thread, parent=post, body="A reply that stays")
    auth.login(author)
    assert client.post(f"/p/{post.id}/delete").status_code == 302
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "This post was deleted." in page and "Regrettable words" not in page
    assert "A reply that stays" in page and f'data-parent-id="{post.id}"' in page
    with app.app_context():
        assert db.session.get(Post, post.id) is not None  # soft: the row stays
        assert db.session.get(Post, child.id).deleted_at is None


def test_missing_csrf_token_is_refused_and_nothing_written(csrf_app, make, app):
    client = csrf_app.test_client()
    user = make.user(password="a long enough password")
    login_page = client.get("/auth/login").get_data(as_text=True)
    from tests.support.clients import csrf_token_from

    token = csrf_token_from(login_page)
    client.post(
        "/auth/login",
        data={"username": user.username, "password": "a long enough password", "csrf_token": token},
    )
    thread = make.thread()
    for token_value in (None, "forged-token"):
        data = (
            {"body": "no token"} if token_value is None else {"body": "bad token", "csrf_token": token_value}
        )
        response = client.post(f"/t/{thread.id}/reply", data=data)
        assert response.status_code == 400
        assert "Your form expired or came from elsewhere" in response.get_data(as_text=True)
    assert count(app, Post) == 1


def test_post_records_its_language_from_the_composer(client, auth, make, app):
    thread = make.thread()
    auth.login(make.user())
    form = client.get(f"/t/{thread.id}").get_data(as_text=True)
    chosen = select(form, "#reply-form select[name=language] option[selected]")
    assert [(option.get("value"), option.get("lang"), option.text) for option in chosen] == [
        ("en", "en", "English")
    ]
    client.post(f"/t/{thread.id}/reply", data={"body": "مجتمع المعلومات للجميع", "language": "ar"})
    with app.app_context():
        post = db.session.execute(db.select(Post).order_by(Post.id.desc())).scalars().first()
        assert post.language == "ar"
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert any(body.get("lang") == "ar" and body.get("dir") == "auto" for body in select(page, "div.body"))
    bad = client.post(f"/t/{thread.id}/reply", data={"body": "some words", "language": "klingon"})
    assert bad.status_code == 400 and "some words" in bad.get_data(as_text=True)


def test_moderator_edit_of_someone_elses_post_needs_a_reason(client, auth, make, app):
    post = make.reply(make.thread(), body="Original text")
    auth.login(make.moderator())
    refused = client.post(f"/p/{post.id}/edit", data={"body": "Moderated text"})
    assert refused.status_code == 400 and "Say why you edit someone else" in refused.get_data(as_text=True)
    assert (
        client.post(
            f"/p/{post.id}/edit", data={"body": "Moderated text", "reason": "personal data"}
        ).status_code
        == 302
    )
    history = client.get(f"/p/{post.id}/history").get_data(as_text=True)
    assert "personal data" in history
