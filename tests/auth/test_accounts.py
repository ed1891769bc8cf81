"""Registration, sign-in, sign-out, profiles and settings."""

import pytest

from app.auth.models import User
from app.extensions import db
from config import Config
from tests.support.pages import select

REGISTRATION = {
    "username": "Amina_D",
    "email": "amina@example.org",
    "password": "a long enough password",
    "password_confirm": "a long enough password",
    "display_name": "Amina Diallo",
    "organisation": "Ministry of Health",
    "stakeholder_type": "government",
    "country": "Senegal",
}


def test_register_creates_member_and_signs_in(client, app):
    app.config["PASSWORD_HASH_METHOD"] = Config().PASSWORD_HASH_METHOD  # as deployed (tests: cheap)
    response = client.post("/auth/register", data=REGISTRATION)
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Amina Diallo" in home and "Sign out" in home
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username="Amina_D")).scalar_one()
        assert user.organisation == "Ministry of Health" and user.stakeholder_type == "government"
        assert user.password_hash.startswith("scrypt:") and "a long enough password" not in user.password_hash
        assert not user.is_admin


@pytest.mark.parametrize(
    "field, value",
    [("username", "amina_d"), ("email", "AMINA@example.org")],
)
def test_duplicate_username_or_email_is_refused_regardless_of_case(client, make, field, value):
    make.user("Amina_D", email="amina@example.org")
    data = dict(REGISTRATION, **{field: value})
    if field == "username":
        data["email"] = "other@example.org"
    else:
        data["username"] = "someone_else"
    response = client.post("/auth/register", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "taken" in page or "already exists" in page
    assert 'value="Ministry of Health"' in page  # what was typed comes back


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"password_confirm": "something different"}, "The two passwords differ."),
        ({"password": "short", "password_confirm": "short"}, "Use at least 10 characters."),
        ({"username": "a"}, "3 to 32 characters"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"stakeholder_type": "pirate"}, "Not a valid choice"),
    ],
)
def test_bad_registration_comes_back_with_message_and_input(client, app, changes, message):
    response = client.post("/auth/register", data=dict(REGISTRATION, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="Amina Diallo"' in page
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(User.id))).scalar() == 0


@pytest.mark.parametrize("login", ["amina", "AMINA@example.org"])
def test_sign_in_with_username_or_email(client, make, login):
    make.user("amina", email="amina@example.org", password="a long enough password")
    response = client.post("/auth/login", data={"username": login, "password": "a long enough password"})
    assert response.status_code == 302
    assert "Sign out" in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_user_get_the_same_message(client, make):
    make.user("amina", password="a long enough password")
    wrong = client.post("/auth/login", data={"username": "amina", "password": "nope nope nope"})
    unknown = client.post("/auth/login", data={"username": "nobody", "password": "nope nope nope"})
    assert wrong.status_code == unknown.status_code == 400
    assert "Wrong username, email or password." in wrong.get_data(as_text=True)
    assert "Wrong username, email or password." in unknown.get_data(as_text=True)


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/c/c7-e-health", "/c/c7-e-health"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_login_honours_only_safe_next(client, make, target, expected):
    make.user("amina", password="a long enough password")
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"username": "amina", "password": "a long enough password"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_logout_is_post_only_and_signs_out(client, auth, make):
    auth.login(make.user("amina"))
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 302
    assert "Sign in" in client.get("/").get_data(as_text=True)


def test_profile_lists_threads_and_replies(client, make):
    author = make.user("amina", display_name="Amina Diallo", organisation="WHO")
    thread = make.thread(author=author, title="Health data standards")
    make.reply(thread, author=author, body="A follow-up on HL7 FHIR")
    page = client.get("/u/amina").get_data(as_text=True)
    assert "Amina Diallo" in page and "WHO" in page
    assert "Health data standards" in page
    assert client.get("/u/nobody").status_code == 404


def test_settings_update_profile_and_view(client, auth, make, app):
    user = auth.login(make.user("amina"))
    response = client.post(
        "/settings",
        data={
            "display_name": "Amina D.",
            "organisation": "UNESCO",
            "stakeholder_type": "international_organisation",
            "country": "France",
            "bio": "Librarian",
            "preferred_view": "flat",
        },
    )
    assert response.status_code == 302
    fresh = make.get(User, user.id)
    assert (fresh.organisation, fresh.preferred_view, fresh.show_presence) == ("UNESCO", "flat", False)


def test_settings_require_sign_in(client):
    response = client.get("/settings")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_password_change_needs_current_password_and_ends_other_sessions(app, make):
    user = make.user("amina", password="old password 123")
    browser_a, browser_b = app.test_client(), app.test_client()
    for browser in (browser_a, browser_b):
        browser.post("/auth/login", data={"username": "amina", "password": "old password 123"})
    wrong = browser_a.post(
        "/settings/password",
        data={
            "pw-current_password": "wrong one",
            "pw-new_password": "new password 456",
            "pw-new_password_confirm": "new password 456",
        },
    )
    assert wrong.status_code == 400 and "The current password is wrong." in wrong.get_data(as_text=True)
    ok = browser_a.post(
        "/settings/password",
        data={
            "pw-current_password": "old password 123",
            "pw-new_password": "new password 456",
            "pw-new_password_confirm": "new password 456",
        },
    )
    assert ok.status_code == 302
    assert "Sign out" in browser_a.get("/").get_data(as_text=True)  # this browser stays signed in
    assert "Sign out" not in browser_b.get("/").get_data(as_text=True)  # the other one is signed out
    assert make.get(User, user.id).check_password("new password 456")


def test_create_admin_command(runner, app):
    result = runner.invoke(
        args=["create-admin", "root", "root@example.org", "--password", "admin password 1"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username="root")).scalar_one()
        assert user.is_admin and user.check_password("admin password 1")
        assert user.stakeholder_type == ""  # none assumed when nobody was there to be asked


def test_create_admin_takes_a_stakeholder_group_and_the_profile_says_when_none(runner, app, client):
    args = ["create-admin", "gov", "gov@example.org", "--password", "admin password 1"]
    assert runner.invoke(args=[*args, "--stakeholder-type", "government"]).exit_code == 0
    assert runner.invoke(args=[*args, "--stakeholder-type", "nobody"]).exit_code == 2
    runner.invoke(args=["create-admin", "plain", "plain@example.org", "--password", "admin password 1"])
    with app.app_context():
        assert (
            db.session.execute(db.select(User.stakeholder_type).filter_by(username="gov")).scalar()
            == "government"
        )
    assert "Stakeholder group not stated" in client.get("/u/plain").get_data(as_text=True)


def test_register_preselects_no_stakeholder_group(client):
    """Statistics by stakeholder group count what people chose, not what the form chose for them."""
    page = client.get("/auth/register").get_data(as_text=True)
    options = select(page, "select#stakeholder_type option")
    assert [option for option in options if option.get("selected") is not None] == []
    assert ("", "— choose —") in [(option.get("value"), option.text) for option in options]

    response = client.post("/auth/register", data=dict(REGISTRATION, stakeholder_type=""))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Choose a stakeholder type." in body and 'value="Amina_D"' in body


def test_a_member_chooses_dark_or_light_colours(client, auth, make):
    auth.login(make.user())
    assert 'data-theme="auto"' in client.get("/").get_data(as_text=True)  # as the device is set
    assert client.post("/settings", data={"theme": "dark", "preferred_view": "tree"}).status_code == 302
    assert '<html lang="en" dir="ltr" data-theme="dark">' in client.get("/").get_data(as_text=True)
    refused = client.post("/settings", data={"theme": "neon", "preferred_view": "tree"})
    assert refused.status_code == 400 and 'data-theme="dark"' in refused.get_data(as_text=True)


def test_every_page_offers_the_menu_button_and_the_list_of_shortcuts(client):
    page = client.get("/").get_data(as_text=True)
    assert 'id="menu-button" aria-expanded="false" aria-controls="site-menu"' in page
    assert '<div class="site-menu" id="site-menu">' in page and '<dialog id="shortcuts-help"' in page
