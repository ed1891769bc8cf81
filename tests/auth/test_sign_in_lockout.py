"""Failed sign-ins from one place must not lock the real owner out everywhere (Discourse's behaviour):
the per-account limit stops guessing, but a right password from a client that has not been failing
still signs in; the per-address limit applies to everyone."""

import pytest

from tests.factories import Make
from tests.support.ratelimits import from_address, limited_app

OWNER_PASSWORD = "the owner's own password"
ATTACKER = "198.51.100.7"
OWNER = "203.0.113.20"


@pytest.fixture
def lockout_app(tmp_path, request):
    with limited_app(
        tmp_path, request, RATELIMIT_LOGIN="100/minute", RATELIMIT_LOGIN_ACCOUNT="10/15 minutes"
    ) as app:
        Make(app).user("amina", password=OWNER_PASSWORD)
        yield app


def _sign_in(client, password, login="amina"):
    return client.post("/auth/login", data={"username": login, "password": password})


def _attack(app):
    """Ten wrong passwords for amina from the attacker's address: the account limit is reached."""
    attacker = from_address(app.test_client(), ATTACKER)
    for attempt in range(10):
        assert _sign_in(attacker, f"guess {attempt}").status_code == 400
    assert _sign_in(attacker, "guess 11").status_code == 429
    return attacker


def test_owner_elsewhere_signs_in_while_an_attacker_is_locked_out(lockout_app):
    _attack(lockout_app)
    owner = from_address(lockout_app.test_client(), OWNER)
    response = _sign_in(owner, OWNER_PASSWORD)
    assert response.status_code == 302
    assert owner.get("/settings").status_code == 200  # really signed in


def test_attacker_with_the_right_password_is_still_locked_out(lockout_app):
    attacker = _attack(lockout_app)
    response = _sign_in(attacker, OWNER_PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    assert attacker.get("/settings").status_code == 302  # not signed in: sent to the sign-in page


def test_a_wrong_password_from_a_new_address_counts(lockout_app):
    _attack(lockout_app)
    elsewhere = from_address(lockout_app.test_client(), OWNER)
    # The account is over its limit, so a wrong password from anywhere is refused …
    assert _sign_in(elsewhere, "another guess").status_code == 429
    # … and that address has now been failing: even the right password waits there.
    assert _sign_in(elsewhere, OWNER_PASSWORD).status_code == 429
    # A third address with the right password still gets in.
    third = from_address(lockout_app.test_client(), "192.0.2.55")
    assert _sign_in(third, OWNER_PASSWORD).status_code == 302


def test_failures_from_another_address_count_towards_the_account_limit(lockout_app):
    first = from_address(lockout_app.test_client(), ATTACKER)
    second = from_address(lockout_app.test_client(), OWNER)
    for attempt in range(5):
        assert _sign_in(first, f"guess {attempt}").status_code == 400
        assert _sign_in(second, f"other {attempt}").status_code == 400
    assert _sign_in(first, "one more").status_code == 429
    assert _sign_in(second, "one more").status_code == 429


def test_the_per_address_limit_still_applies_to_a_right_password(tmp_path, request):
    with limited_app(tmp_path, request, RATELIMIT_LOGIN="3/minute") as app:
        Make(app).user("amina", password=OWNER_PASSWORD)
        client = from_address(app.test_client(), OWNER)
        for _ in range(3):
            assert _sign_in(client, "wrong", login="nobody").status_code == 400
        assert _sign_in(client, OWNER_PASSWORD).status_code == 429
