"""Sign-in limits: guessing an account's password is stopped without locking its owner out.

Failures are counted per account (RATELIMIT_LOGIN_ACCOUNT) and per account and client address. Once
an account is over its limit, only a right password from an address with no failure on that account
in the window gets through (as in Discourse): whoever has been guessing waits, the owner signing in
from their own device does not. A wrong password from a new address counts and marks that address.
"""

from flask import current_app, g, request
from limits import parse

from app.auth import services
from app.auth.models import find_user_by_login
from app.core.ratelimits import client_address, hits_left

ACCOUNT_SCOPE = "sign-in-account"
CLIENT_SCOPE = "sign-in-account-client"


def _login() -> str:
    return (request.form.get("username") or "").strip().lower()[:254]


def account_key() -> str:
    """The account named by username or email (every spelling counts alike), or the unknown name."""
    if "sign_in_account_key" not in g:
        user = find_user_by_login(_login()) if _login() else None
        g.sign_in_account_key = f"login-account:{user.id}" if user is not None else f"login-name:{_login()}"
    return g.sign_in_account_key


def account_client_key() -> str:
    """This account as tried from this client address."""
    return f"{account_key()}@{client_address()}"


def failed(response) -> bool:
    """Anything but the redirect of a successful sign-in is a failed attempt."""
    return response.status_code != 302


def owner_passes() -> bool:
    """Exempt from the account limit: a right password, while the account is locked, from a client
    address that has not failed on this account in the window."""
    if request.method != "POST":
        return False
    limit_value = current_app.config["RATELIMIT_LOGIN_ACCOUNT"]
    if hits_left(limit_value, account_client_key(), CLIENT_SCOPE) < parse(limit_value).amount:
        return False  # this client has been failing here: it waits like everyone else
    if hits_left(limit_value, account_key(), ACCOUNT_SCOPE) > 0:
        return False  # not locked: the limit lets the attempt through anyway
    return services.authenticate(_login(), request.form.get("password") or "") is not None
