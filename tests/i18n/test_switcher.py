"""The language switcher and the order in which the page language is chosen."""

import pytest

from app.auth.models import User
from tests.i18n.pages import html_attributes
from tests.support.pages import select_one


def page_lang(client, url="/", **headers):
    return html_attributes(client.get(url, headers=headers).get_data(as_text=True))["lang"]


def test_switcher_is_a_plain_form_on_every_page(client, make):
    thread = make.thread()
    for url in ("/", "/c/c7-e-health", f"/t/{thread.id}", "/auth/login", "/auth/register", "/nowhere"):
        html = client.get(url).get_data(as_text=True)
        form = select_one(html, "form.language-switcher")
        assert (form.get("method"), form.get("action")) == ("post", "/language"), url
        assert form.select("input[name=next]") and form.select("label[for=language-select]"), url
        assert "العربية" in [option.text for option in form.select("option[value=ar][lang=ar]")], url


def test_switcher_sends_back_to_the_page(client):
    html = client.get("/c/c7-e-health?page=1").get_data(as_text=True)
    assert 'name="next" value="/c/c7-e-health?page=1"' in html
    response = client.post("/language", data={"language": "ar", "next": "/c/c7-e-health?page=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/c/c7-e-health?page=1"
    assert page_lang(client) == "ar"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "javascript:alert(1)", ""])
def test_switcher_never_redirects_off_site(client, target):
    response = client.post("/language", data={"language": "fr", "next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_refused(client):
    assert client.post("/language", data={"language": "xx", "next": "/"}).status_code == 400
    assert page_lang(client) == "en"


def test_signed_in_choice_is_saved_on_the_account(app, client, auth, make):
    user = auth.login(make.user())
    client.post("/language", data={"language": "ru", "next": "/"})
    assert make.get(User, user.id).locale == "ru"
    auth.logout()
    auth.login(make.get(User, user.id))
    assert page_lang(client, **{"Accept-Language": "es"}) == "ru"


def test_switcher_needs_the_csrf_token(csrf_app):
    client = csrf_app.test_client()
    assert client.post("/language", data={"language": "ar", "next": "/"}).status_code == 400


def test_order_saved_preference_then_session_then_accept_language_then_english(client, auth, make):
    assert page_lang(client) == "en"
    assert page_lang(client, **{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}) == "zh"
    assert page_lang(client, **{"Accept-Language": "de"}) == "en"
    client.post("/language", data={"language": "fr", "next": "/"})
    assert page_lang(client, **{"Accept-Language": "zh"}) == "fr"
    auth.login(make.user(locale="es"))
    assert page_lang(client, **{"Accept-Language": "zh"}) == "es"


def test_after_a_rejected_form_the_switcher_returns_to_the_form(client):
    html = client.post(
        "/auth/login", data={"username": ""}, headers={"Referer": "http://localhost/auth/login?next=/c/c2"}
    ).get_data(as_text=True)
    assert 'name="next" value="/auth/login?next=/c/c2"' in html
    html = client.post("/auth/login", data={}, headers={"Referer": "https://evil.example/x"}).get_data(
        as_text=True
    )
    assert 'name="next" value="/"' in html
