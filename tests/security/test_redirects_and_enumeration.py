"""No open redirects through `next=`, and sign-in/registration answers that do not reveal accounts."""

from urllib.parse import urlsplit

import pytest

from tests.factories import Make

EVIL_NEXT = [
    "//evil.com",
    "///evil.com",
    "https://evil.com",
    "http://evil.com/path",
    "/\\evil.com",
    "\\\\evil.com",
    "/\\/evil.com",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https:evil.com",
    "//localhost@evil.com",
    "http://localhost.evil.com/",
    " //evil.com",
    "/%0d%0aLocation:%20https://evil.com",
    "/\t/evil.com",
    "ftp://evil.com",
]


def _location_is_local(response):
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert location.startswith("/") and not location.startswith("//"), location
    assert parts.scheme == "" and parts.netloc == "" and "\\" not in location, location
    assert "\r" not in location and "\n" not in location


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_sign_in_never_redirects_off_site(app, client, target):
    Make(app).user("amina", password="the right password")
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"username": "amina", "password": "the right password"},
    )
    assert response.status_code == 302
    _location_is_local(response)
    # Already signed in: the GET redirect is just as careful.
    again = client.get("/auth/login", query_string={"next": target})
    _location_is_local(again)


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_registration_never_redirects_off_site(client, target):
    response = client.post(
        "/auth/register",
        query_string={"next": target},
        data={
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password": "a long enough password",
            "password_confirm": "a long enough password",
            "stakeholder_type": "academia",
        },
    )
    assert response.status_code == 302
    _location_is_local(response)


def test_a_local_next_is_kept(app, client):
    Make(app).user("amina", password="the right password")
    response = client.post(
        "/auth/login",
        query_string={"next": "/c/c7-e-health?page=2"},
        data={"username": "amina", "password": "the right password"},
    )
    assert response.headers["Location"] == "/c/c7-e-health?page=2"


def _error_text(response):
    html = response.get_data(as_text=True)
    return [line.strip() for line in html.splitlines() if 'class="error"' in line or "error-summary" in line]


def test_unknown_account_and_wrong_password_look_the_same(app, client):
    Make(app).user("amina", email="amina@example.org", password="the right password")
    answers = [
        client.post("/auth/login", data={"username": login, "password": "not the password"})
        for login in ("amina", "amina@example.org", "nobody", "nobody@example.org")
    ]
    assert {response.status_code for response in answers} == {400}
    messages = {tuple(_error_text(response)) for response in answers}
    assert len(messages) == 1
    assert "Wrong username, email or password." in answers[0].get_data(as_text=True)


def test_registration_with_a_known_email_does_not_confirm_the_account(app, client):
    Make(app).user("amina", email="amina@example.org")
    response = client.post(
        "/auth/register",
        data={
            "username": "someone_new",
            "email": "AMINA@example.org",
            "password": "a long enough password",
            "password_confirm": "a long enough password",
            "stakeholder_type": "academia",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already exists" not in page and "is registered" not in page
    assert "cannot be used for a new account" in page
