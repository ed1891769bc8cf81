"""CSRF: every state-changing route refuses a request without a valid token; a page's token works."""

import io
import re

import pytest

from tests.support.clients import csrf_token_from


def _state_changing_urls(app):
    urls = []
    for rule in app.url_map.iter_rules():
        if not (rule.methods or set()) - {"GET", "HEAD", "OPTIONS"} or rule.rule.startswith("/static"):
            continue
        url = re.sub(r"<any\(([^,)]+)[^>]*>", lambda m: m.group(1).strip(), rule.rule)
        url = re.sub(r"<int:[^>]+>", "1", url)
        url = re.sub(r"<[^>]+>", "c7-e-health", url)
        urls.append(url)
    return urls


# One-click unsubscribe (RFC 8058): a mail client POSTs with no cookies and no token; the signed link
# is the authority, and it can only turn mail off (tests/notifications/test_mail.py).
TOKENLESS = {"/mail/unsubscribe/c7-e-health"}


def test_every_state_changing_route_needs_a_token(csrf_app, client, auth, make):
    auth.login(make.admin())
    urls = [url for url in _state_changing_urls(csrf_app) if url not in TOKENLESS]
    assert len(urls) > 30
    api_urls = [url for url in urls if url.startswith("/api/v1/")]
    for url in api_urls:  # the API takes JSON; with the session cookie it needs the token in X-CSRFToken
        response = (
            client.post(url, json={"body": "x"}) if "/posts/" not in url else client.patch(url, json={})
        )
        assert response.status_code == 403, url
    for url in (url for url in urls if url not in api_urls):
        data = {"body": "x", "reason": "x"}
        if url == "/files":  # the upload route takes multipart with a file; without a token it is refused too
            data["file"] = (io.BytesIO(b"notes"), "notes.txt")
        if url == "/settings/avatar":  # so does the picture's
            data["avatar"] = (io.BytesIO(b"picture"), "me.png")
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "Your form expired or came from elsewhere" in response.get_data(as_text=True), url


@pytest.mark.parametrize("token", ["", "not-a-token", "IjAwMCI.abc.def"])
def test_bad_tokens_are_refused(csrf_app, client, auth, make, token):
    thread = make.thread()
    auth.login(make.moderator())
    response = client.post(f"/moderation/t/{thread.id}/lock", data={"csrf_token": token})
    assert response.status_code == 400


def test_a_token_from_the_page_is_accepted(csrf_app, client, auth, make):
    thread = make.thread()
    auth.login(make.moderator())
    token = csrf_token_from(client.get(f"/t/{thread.id}").get_data(as_text=True))
    assert client.post(f"/moderation/t/{thread.id}/lock", data={"csrf_token": token}).status_code == 302
    post = make.reply(thread)
    form_token = csrf_token_from(client.get(f"/moderation/p/{post.id}").get_data(as_text=True))
    response = client.post(
        f"/moderation/p/{post.id}/hide", data={"csrf_token": form_token, "hide-reason": "Spam"}
    )
    assert response.status_code == 302


def test_sign_in_form_needs_its_token(csrf_app, client, make):
    make.user("amina", password="the right password")
    response = client.post("/auth/login", data={"username": "amina", "password": "the right password"})
    assert response.status_code == 400
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login", data={"username": "amina", "password": "the right password", "csrf_token": token}
    )
    assert response.status_code == 302
