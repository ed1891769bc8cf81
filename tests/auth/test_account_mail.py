"""Account mail: confirming an address, changing it, resetting a forgotten password."""

from urllib.parse import urlsplit

import pytest

from app.auth import services as accounts
from app.auth.models import User
from app.extensions import db
from tests.factories import PASSWORD
from tests.support.clients import client_for
from tests.support.mail import html_of, links_in, outbox, text_of, to
from tests.support.ratelimits import from_address, limited_app


def _register(client, username="amina", email="amina@example.org"):
    return client.post(
        "/auth/register",
        data={
            "username": username, "email": email, "password": PASSWORD, "password_confirm": PASSWORD,
            "stakeholder_type": "academia",
        },
    )  # fmt: skip


def _path(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _link(app, address, marker):
    (message,) = [m for m in to(outbox(app), address) if marker in text_of(m)]
    (link,) = [link for link in links_in(message) if marker in link]
    assert link.startswith(app.config["SITE_URL"] + "/")
    return _path(link)


def _user(app, username):
    with app.app_context():
        return db.session.execute(db.select(User).filter_by(username=username)).scalar_one()


def test_registration_mails_a_link_that_confirms_the_address_and_lets_the_member_post(app, client, make):
    app.config["REQUIRE_EMAIL_CONFIRMATION"] = True
    thread = make.thread()
    assert _register(client).status_code == 302
    assert _user(app, "amina").email_confirmed_at is None
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Please confirm your email address: we sent a link to amina@example.org." in page
    assert "post once it is confirmed" in page
    assert client.post(f"/t/{thread.id}", data={"body": "My first reply", "parent_id": ""}).status_code == 403

    (message,) = to(outbox(app), "amina@example.org")
    assert message["Subject"] == "Confirm your email address" and "List-Unsubscribe" not in message
    assert 'href="http://127.0.0.1:5000/auth/confirm/' in html_of(message)
    link = _link(app, "amina@example.org", "/auth/confirm/")
    assert "Confirm my address" in client.get(link).get_data(as_text=True)
    assert _user(app, "amina").email_confirmed_at is None  # opening the link (a mail scanner) is not enough
    response = client.post(link, follow_redirects=True)
    assert "amina@example.org is confirmed" in response.get_data(as_text=True)
    assert _user(app, "amina").email_confirmed_at is not None
    assert "Please confirm your email address" not in client.get("/").get_data(as_text=True)
    assert client.post(f"/t/{thread.id}", data={"body": "My first reply", "parent_id": ""}).status_code == 302


@pytest.mark.parametrize("mangle", [lambda token: token[:-2] + "xx", lambda token: "nonsense"])
def test_a_tampered_confirmation_link_is_a_404_that_says_so(app, client, mangle):
    _register(client)
    token = _link(app, "amina@example.org", "/auth/confirm/").rsplit("/", 1)[1]
    response = client.get(f"/auth/confirm/{mangle(token)}")
    assert response.status_code == 404 and "This link no longer works" in response.get_data(as_text=True)
    assert client.post(f"/auth/confirm/{mangle(token)}").status_code == 404
    assert _user(app, "amina").email_confirmed_at is None


def test_an_expired_confirmation_link_confirms_nothing_and_a_new_one_can_be_sent(app, client):
    _register(client)
    link = _link(app, "amina@example.org", "/auth/confirm/")
    app.config["EMAIL_CONFIRMATION_MAX_AGE"] = -1
    assert client.post(link).status_code == 404
    app.config["EMAIL_CONFIRMATION_MAX_AGE"] = 3600
    response = client.post("/auth/confirm/resend", data={"next": "/settings"})
    assert response.status_code == 302 and response.location == "/settings"
    assert len(to(outbox(app), "amina@example.org")) == 2


def test_changing_the_address_is_confirmed_at_the_new_one_and_the_old_one_is_told(app, make):
    member = make.user("samir", email="samir@old.example.org")
    client = client_for(app, member)
    wrong = client.post("/settings/email", data={"em-email": "samir@new.example.org", "em-password": "wrong"})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 400 and "The current password is wrong." in page
    assert 'value="samir@new.example.org"' in page  # what was typed comes back
    assert to(outbox(app), "samir@new.example.org") == []

    response = client.post(
        "/settings/email", data={"em-email": "samir@new.example.org", "em-password": PASSWORD}
    )
    assert response.status_code == 302
    assert _user(app, "samir").email == "samir@old.example.org"  # until the new address answers
    link = _link(app, "samir@new.example.org", "/auth/confirm/")
    assert client_for(app).post(link).status_code == 302  # works from any browser: the link is the proof
    assert _user(app, "samir").email == "samir@new.example.org"
    (notice,) = to(outbox(app), "samir@old.example.org")
    assert notice["Subject"] == "Your email address was changed"
    assert "samir@new.example.org" in text_of(notice) and "/auth/forgot" in text_of(notice)


def test_an_address_another_account_uses_cannot_be_taken(app, make):
    make.user("taken", email="taken@example.org")
    member = make.user("samir")
    response = client_for(app, member).post(
        "/settings/email", data={"em-email": "TAKEN@example.org", "em-password": PASSWORD}
    )
    assert response.status_code == 400 and "cannot be used" in response.get_data(as_text=True)
    assert to(outbox(app), "TAKEN@example.org") == []


def test_the_sign_in_page_links_to_the_forgotten_password_page(client):
    assert 'href="/auth/forgot"' in client.get("/auth/login").get_data(as_text=True)


@pytest.mark.parametrize("login", ["nobody", "nobody@example.org", "samir", "samir@example.org"])
def test_a_reset_request_answers_the_same_whether_or_not_the_account_exists(app, make, login):
    make.user("samir")
    response = client_for(app).post("/auth/forgot", data={"login": login}, follow_redirects=True)
    assert response.status_code == 200
    assert "If an account matches what you typed, we sent a link to its address." in response.get_data(
        as_text=True
    )
    assert len(outbox(app)) == (1 if login.startswith("samir") else 0)


def test_a_reset_link_sets_a_new_password_once_and_signs_out_every_other_session(app, make):
    member = make.user("samir", locale="ar")
    elsewhere = client_for(app, member)
    assert elsewhere.get("/settings").status_code == 200
    browser = client_for(app)
    browser.post("/auth/forgot", data={"login": "SAMIR@example.org"})
    (message,) = outbox(app)
    assert '<html lang="ar" dir="rtl">' in html_of(message)
    link = _link(app, "samir@example.org", "/auth/reset/")

    refused = browser.post(link, data={"new_password": "short", "new_password_confirm": "short"})
    assert refused.status_code == 400
    response = browser.post(
        link, data={"new_password": "a brand new password", "new_password_confirm": "a brand new password"}
    )
    assert response.status_code == 302 and browser.get("/settings").status_code == 200  # signed in here
    assert elsewhere.get("/settings").status_code == 302  # the other session ended
    assert browser.get(link).status_code == 404  # used once: dead
    fresh = client_for(app)
    assert fresh.post("/auth/login", data={"username": "samir", "password": PASSWORD}).status_code == 400
    assert (
        fresh.post("/auth/login", data={"username": "samir", "password": "a brand new password"}).status_code
        == 302
    )


def test_a_reset_link_dies_after_its_hour_and_when_the_password_changes(app, make):
    make.user("samir")
    client_for(app).post("/auth/forgot", data={"login": "samir"})
    link = _link(app, "samir@example.org", "/auth/reset/")
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client_for(app).get(link).status_code == 404
    app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert client_for(app).get(link).status_code == 200
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username="samir")).scalar_one()
        user.set_password("changed in the settings")
        db.session.commit()
    assert client_for(app).get(link).status_code == 404


def test_reset_requests_are_rate_limited_per_address_and_per_account(tmp_path, request):
    with limited_app(tmp_path, request, RATELIMIT_ACCOUNT_MAIL="2/hour") as app:
        with app.app_context():
            accounts.register("samir", "samir@example.org", PASSWORD, confirmed=True)
            db.session.commit()
        client = app.test_client()
        codes = [client.post("/auth/forgot", data={"login": "samir"}).status_code for _ in range(3)]
        assert codes == [302, 302, 429]
        assert len(outbox(app)) == 2
        other_address = app.test_client()
        from_address(other_address, "203.0.113.9")
        assert (
            other_address.post("/auth/forgot", data={"login": "SAMIR"}).status_code == 429
        )  # per account too
        assert other_address.post("/auth/forgot", data={"login": "someone"}).status_code == 302
