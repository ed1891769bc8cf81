"""Threads and posts through the JSON API: what a reader may see and nothing more, in pages a
program can walk; replies and new threads through the same rules as the site; every error a
problem document."""

from tests.support.clients import client_for


def _token(app, make, member=None, scopes=("read", "write")):
    member = member or make.user()
    client = client_for(app, member)
    html = client.post(
        "/settings/tokens", data={"name": "Tool", "scopes": list(scopes), "days": "30"}
    ).get_data(as_text=True)
    secret = html.split('id="new-token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    return member, {"Authorization": f"Bearer {secret}"}


def test_threads_come_in_pages_with_a_cursor_and_since(app, make):
    threads = [make.thread(title=f"Question number {n} on access") for n in range(5)]
    client = app.test_client()
    first = client.get("/api/v1/communities/c7-e-health/threads?limit=2").get_json()
    assert [t["id"] for t in first["items"]] == [threads[4].id, threads[3].id]
    second = client.get(
        f"/api/v1/communities/c7-e-health/threads?limit=2&cursor={first['next_cursor']}"
    ).get_json()
    third = client.get(
        f"/api/v1/communities/c7-e-health/threads?limit=2&cursor={second['next_cursor']}"
    ).get_json()
    assert [t["id"] for t in second["items"] + third["items"]] == [
        threads[2].id,
        threads[1].id,
        threads[0].id,
    ]
    assert third["next_cursor"] is None
    since = first["items"][1]["last_activity_at"]
    recent = client.get("/api/v1/communities/c7-e-health/threads", query_string={"since": since}).get_json()
    assert [t["id"] for t in recent["items"]] == [threads[4].id]


def test_posts_carry_their_parent_in_tree_and_flat_order(app, make):
    thread = make.thread()
    opening = make.opening_post(thread)
    first = make.reply(thread, body="First answer to the question.")
    nested = make.reply(thread, parent=first, body="An answer to the first answer.")
    second = make.reply(thread, body="Second answer to the question.")
    client = app.test_client()
    tree = client.get(f"/api/v1/threads/{thread.id}/posts?view=tree").get_json()["items"]
    assert [(p["id"], p["parent_id"]) for p in tree] == [
        (opening.id, None),
        (first.id, opening.id),
        (nested.id, first.id),
        (second.id, opening.id),
    ]
    flat = client.get(f"/api/v1/threads/{thread.id}/posts?view=flat&limit=2").get_json()
    rest = client.get(f"/api/v1/threads/{thread.id}/posts?view=flat&cursor={flat['next_cursor']}").get_json()
    assert [p["id"] for p in flat["items"] + rest["items"]] == [opening.id, first.id, nested.id, second.id]
    assert "<p>First answer to the question.</p>" in tree[1]["body_html"]


def test_what_moderation_took_down_and_closed_rooms_stay_out(app, make):
    thread = make.thread()
    hidden = make.hidden(make.reply(thread, body="Something a moderator hid."))
    room = make.restricted_community()
    secret_thread = make.thread(room, title="Inside the closed room")
    client = app.test_client()
    posts = client.get(f"/api/v1/threads/{thread.id}/posts").get_json()["items"]
    shown = next(p for p in posts if p["id"] == hidden.id)
    assert shown["removed"] is True and shown["body"] is None and shown["body_html"] is None
    assert "Something a moderator hid" not in client.get(f"/api/v1/posts/{hidden.id}").get_data(as_text=True)
    for url in (f"/api/v1/threads/{secret_thread.id}", f"/api/v1/threads/{secret_thread.id}/posts",
                "/api/v1/communities/closed-room/threads"):  # fmt: skip
        answer = client.get(url)
        assert answer.status_code == 404 and answer.mimetype == "application/problem+json", url
    hidden_thread = make.hidden(make.thread(title="A thread taken down"))
    assert client.get(f"/api/v1/threads/{hidden_thread.id}").status_code == 404


def test_a_token_replies_and_starts_threads_through_the_sites_rules(app, make):
    thread = make.thread()
    member, headers = _token(app, make)
    client = app.test_client()
    made = client.post(
        f"/api/v1/threads/{thread.id}/posts", json={"body": "A reply sent by a program."}, headers=headers
    )
    assert made.status_code == 201 and made.get_json()["author"]["username"] == member.username
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "A reply sent by a program." in page
    started = client.post(
        "/api/v1/communities/c7-e-health/threads",
        json={"title": "Opened through the API", "body": "The opening post of a thread."},
        headers=headers,
    )
    assert started.status_code == 201 and started.get_json()["title"] == "Opened through the API"
    app.config["DUPLICATE_POST_WINDOW_SECONDS"] = 300  # the site's posting rules apply to the API too
    duplicate = client.post(
        f"/api/v1/threads/{thread.id}/posts", json={"body": "A reply sent by a program."}, headers=headers
    )
    assert duplicate.status_code == 422 and "body" in duplicate.get_json()["errors"]


def test_a_read_token_cannot_write_and_a_locked_thread_refuses(app, make):
    thread = make.thread()
    _member, read_only = _token(app, make, scopes=("read",))
    client = app.test_client()
    refused = client.post(
        f"/api/v1/threads/{thread.id}/posts", json={"body": "Trying to write."}, headers=read_only
    )
    assert refused.status_code == 403 and "write" in refused.get_json()["detail"]
    _writer, headers = _token(app, make)
    make.locked(thread)
    locked = client.post(
        f"/api/v1/threads/{thread.id}/posts", json={"body": "Too late for this."}, headers=headers
    )
    assert locked.status_code == 403


def test_bad_bodies_get_a_problem_with_the_fields(app, make):
    thread = make.thread()
    _member, headers = _token(app, make)
    client = app.test_client()
    empty = client.post(f"/api/v1/threads/{thread.id}/posts", json={"body": ""}, headers=headers)
    assert empty.status_code == 422 and "body" in empty.get_json()["errors"]
    wrong_type = client.post(
        f"/api/v1/threads/{thread.id}/posts", json=["not", "an", "object"], headers=headers
    )
    assert wrong_type.status_code == 422
    form = client.post(f"/api/v1/threads/{thread.id}/posts", data={"body": "as a form"}, headers=headers)
    assert form.status_code == 415 and form.mimetype == "application/problem+json"
    elsewhere = make.thread(title="Another thread entirely")
    stray = make.reply(elsewhere)
    wrong_parent = client.post(
        f"/api/v1/threads/{thread.id}/posts",
        json={"body": "Answering elsewhere.", "parent_id": stray.id},
        headers=headers,
    )
    assert wrong_parent.status_code == 422 and "parent_id" in wrong_parent.get_json()["errors"]
    nul = client.post(
        f"/api/v1/threads/{thread.id}/posts", json={"body": "A NUL \x00 in the text."}, headers=headers
    )
    assert nul.status_code == 422 and "NUL" in nul.get_json()["detail"]
    huge_cursor = client.get(f"/api/v1/consultations/any/contributions?cursor={2**40}")
    assert huge_cursor.status_code in (404, 422)
    unknown = client.get("/api/v1/no/such/thing")
    assert unknown.status_code == 404 and unknown.get_json()["status"] == 404


def test_a_cookie_write_needs_the_csrf_token(csrf_app, make):
    thread = make.thread()
    member = make.user()
    client = client_for(csrf_app, member)
    refused = client.post(f"/api/v1/threads/{thread.id}/posts", json={"body": "From the page's script."})
    assert refused.status_code == 403
    token = (
        client.get(f"/t/{thread.id}")
        .get_data(as_text=True)
        .split('name="csrf-token" content="', 1)[1]
        .split('"')[0]
    )
    made = client.post(
        f"/api/v1/threads/{thread.id}/posts",
        json={"body": "From the page's script."},
        headers={"X-CSRFToken": token},
    )
    assert made.status_code == 201


def test_an_author_edits_their_post_and_nobody_else_can(app, make):
    author, headers = _token(app, make)
    _other, others = _token(app, make)
    thread = make.thread(author=author)
    post = make.opening_post(thread)
    client = app.test_client()
    edited = client.patch(
        f"/api/v1/posts/{post.id}", json={"body": "A clearer opening post."}, headers=headers
    )
    assert edited.status_code == 200 and edited.get_json()["edited_at"] is not None
    assert (
        client.patch(
            f"/api/v1/posts/{post.id}", json={"body": "Not mine to change."}, headers=others
        ).status_code
        == 403
    )


def test_the_document_describes_every_operation(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    assert {"/api/v1/threads/{thread_id}/posts", "/api/v1/communities/{slug}/threads"} <= set(spec["paths"])
    assert {"get", "post"} <= set(spec["paths"]["/api/v1/threads/{thread_id}/posts"])
    assert app.test_client().get("/api/docs").status_code == 200


def test_reactions_and_watch_levels_through_the_api(app, make):
    thread = make.thread()
    post = make.opening_post(thread)
    member, headers = _token(app, make)
    client = app.test_client()
    for _ in range(2):  # leaving it twice changes nothing
        answer = client.put(f"/api/v1/posts/{post.id}/reactions/insightful", headers=headers)
        assert answer.status_code == 200 and answer.get_json()["counts"]["insightful"] == 1
    assert answer.get_json()["mine"] == ["insightful"]
    taken_back = client.delete(f"/api/v1/posts/{post.id}/reactions/insightful", headers=headers).get_json()
    assert taken_back["counts"]["insightful"] == 0 and taken_back["mine"] == []
    assert client.put(f"/api/v1/posts/{post.id}/reactions/applause", headers=headers).status_code == 404
    own = make.reply(thread, author=member, body="My own reply to this.")
    assert client.put(f"/api/v1/posts/{own.id}/reactions/like", headers=headers).status_code == 403
    watched = client.put(f"/api/v1/threads/{thread.id}/watch", json={"level": "tracking"}, headers=headers)
    assert watched.get_json() == {"level": "tracking"}
    assert client.get(f"/api/v1/threads/{thread.id}/watch", headers=headers).get_json() == {
        "level": "tracking"
    }
    muted = client.put("/api/v1/communities/c2/watch", json={"level": "muted"}, headers=headers)
    assert muted.status_code == 200
    assert (
        client.put("/api/v1/communities/c2/watch", json={"level": "loud"}, headers=headers).status_code == 422
    )


def test_communities_list_what_the_reader_may_read(app, make):
    room = make.restricted_community()
    listed = app.test_client().get("/api/v1/communities").get_json()["items"]
    slugs = [community["slug"] for community in listed]
    assert "c7-e-health" in slugs and room.slug not in slugs
    assert next(c for c in listed if c["slug"] == "c7-e-health")["parent"] == "c7"
    assert app.test_client().get(f"/api/v1/communities/{room.slug}").status_code == 404


def test_search_finds_only_what_the_reader_may_see(app, make):
    make.thread(title="Zanzibarite clinics in the open")
    room = make.restricted_community()
    make.thread(room, title="Zanzibarite clinics behind closed doors")
    found = app.test_client().get("/api/v1/search?q=zanzibarite").get_json()
    assert [hit["title"] for hit in found["items"] if hit["type"] == "thread"] == [
        "Zanzibarite clinics in the open"
    ]
    assert found["facets"]["community"] == {"c7-e-health": found["total"]}
    assert "<mark>" in found["items"][0]["title_html"]
    assert app.test_client().get("/api/v1/search").status_code == 422


def test_a_search_hit_links_to_its_page_by_absolute_address(app, make):
    thread = make.thread(title="Zanzibarite clinics in the open")
    hit = app.test_client().get("/api/v1/search?q=zanzibarite").get_json()["items"][0]
    assert hit["url"] == f"http://localhost/t/{thread.id}"
    assert app.test_client().get(hit["url"]).status_code == 200


def test_the_api_refuses_in_the_readers_language(app):
    missing = app.test_client().get("/api/v1/threads/999999", headers={"Accept-Language": "ar"})
    assert missing.status_code == 404
    assert missing.get_json()["detail"] == "لا يوجد موضوع كهذا."


def test_a_public_profile(app, make):
    member = make.user(display_name="Amina K.", organisation="Health Ministry")
    shown = app.test_client().get(f"/api/v1/users/{member.username}").get_json()
    assert shown["display_name"] == "Amina K." and shown["organisation"] == "Health Ministry"
    assert "email" not in shown
    assert app.test_client().get("/api/v1/users/nobody-here").status_code == 404


def test_reads_carry_an_etag_and_answer_304_when_unchanged(app, make):
    thread = make.thread()
    client = app.test_client()
    first = client.get(f"/api/v1/threads/{thread.id}")
    etag = first.headers["ETag"]
    unchanged = client.get(f"/api/v1/threads/{thread.id}", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    make.reply(thread, body="Something new in the thread.")
    changed = client.get(f"/api/v1/threads/{thread.id}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
