"""Single sign-on against a real OpenID Connect provider process (Authlib's server side, on
127.0.0.1): the code flow with PKCE, state and nonce checked; a verified address links the
existing account, anything else makes a new one; a forged answer signs nobody in."""

from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import requests

from app.auth.models import OidcLink, User
from app.extensions import db
from tests.factories import Make
from tests.support.processes import oidc_provider
from tests.support.ratelimits import limited_app

CALLBACK = "http://localhost/auth/oidc/callback"


def provider(tmp_path, **user):
    return oidc_provider(tmp_path, CALLBACK, **user)


@contextmanager
def sso_app(tmp_path, request, issuer):
    with limited_app(tmp_path, request, RATELIMIT_ENABLED=False, OIDC_ISSUER=issuer, OIDC_CLIENT_ID="majlis",
                     OIDC_CLIENT_SECRET="s3cret", OIDC_NAME="the Ministry") as app:  # fmt: skip
        yield app


def sign_in(app, tamper=None):
    """The browser's trip: Majlis → provider (which signs the user in at once) → Majlis."""
    client = app.test_client()
    start = client.get("/auth/oidc")
    assert start.status_code == 302
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    back = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    location = back.headers["Location"]
    if tamper:
        location = tamper(location)
    parts = urlsplit(location)
    answer = client.get(f"{parts.path}?{parts.query}")
    return client, answer


def test_first_sign_in_makes_an_account_and_the_next_finds_it(tmp_path, request):
    with provider(tmp_path) as issuer, sso_app(tmp_path, request, issuer) as app:
        assert "Sign in with the Ministry" in app.test_client().get("/auth/login").get_data(as_text=True)
        client, answer = sign_in(app)
        assert answer.status_code == 302
        settings = client.get("/settings")
        assert settings.status_code == 200 and "amina.k" in settings.get_data(as_text=True)
        _again, second = sign_in(app)
        assert second.status_code == 302
        with app.app_context():
            users = (
                db.session.execute(db.select(User).filter_by(email="amina@ministry.example")).scalars().all()
            )
            assert len(users) == 1 and users[0].email_confirmed_at is not None
            assert db.session.execute(db.select(db.func.count(OidcLink.id))).scalar() == 1


def test_a_verified_address_links_the_existing_account(tmp_path, request):
    with provider(tmp_path) as issuer, sso_app(tmp_path, request, issuer) as app:
        existing = Make(app).user("amina", email="Amina@Ministry.example")
        client, _answer = sign_in(app)
        assert "amina" in client.get("/settings").get_data(as_text=True)
        with app.app_context():
            link = db.session.execute(db.select(OidcLink)).scalar_one()
            assert link.user_id == existing.id and link.subject == "u-1001"


def test_an_unverified_address_never_takes_over_an_account(tmp_path, request):
    with provider(tmp_path, email_verified=False) as issuer, sso_app(tmp_path, request, issuer) as app:
        existing = Make(app).user("amina", email="amina@ministry.example")
        sign_in(app)
        with app.app_context():
            link = db.session.execute(db.select(OidcLink)).scalar_one()
            assert link.user_id != existing.id
            assert db.session.get(User, link.user_id).email_confirmed_at is None


def test_a_forged_state_signs_nobody_in(tmp_path, request):
    with provider(tmp_path) as issuer, sso_app(tmp_path, request, issuer) as app:
        client, answer = sign_in(app, tamper=lambda location: location.replace("state=", "state=forged"))
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/auth/login")
        assert client.get("/settings").status_code == 302
        with app.app_context():
            assert db.session.execute(db.select(db.func.count(OidcLink.id))).scalar() == 0


def test_without_configuration_there_is_no_single_sign_on(client):
    assert client.get("/auth/oidc").status_code == 404
    assert "Sign in with" not in client.get("/auth/login").get_data(as_text=True)
