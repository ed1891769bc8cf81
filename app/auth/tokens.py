"""Signed, expiring links for account mail: confirming an address and resetting a password.

A confirmation link names the user and the address it confirms, so a link for an address the
account no longer asks for confirms nothing. A reset link carries a fingerprint of the password
hash: it dies when the password changes, which makes it single-use.
"""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.auth.models import User
from app.extensions import db

CONFIRM, RESET = "confirm-email", "reset-password"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"majlis.auth.{purpose}")


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def confirmation_token(user: User, address: str) -> str:
    return _serializer(CONFIRM).dumps({"u": user.id, "e": address.strip().lower()})


def confirmation_for(token: str) -> tuple[User, str] | None:
    """(user, address) of a valid confirmation link, or None (tampered, expired, unknown user)."""
    data = _loads(CONFIRM, token, current_app.config["EMAIL_CONFIRMATION_MAX_AGE"])
    user = _user(data)
    return (user, data["e"]) if user is not None and isinstance(data.get("e"), str) else None


def reset_token(user: User) -> str:
    return _serializer(RESET).dumps({"u": user.id, "p": _password_fingerprint(user)})


def reset_user_for(token: str) -> User | None:
    """The user of a valid reset link whose password has not changed since it was sent, or None."""
    data = _loads(RESET, token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = _user(data)
    return user if user is not None and data.get("p") == _password_fingerprint(user) else None


def _loads(purpose: str, token: str, max_age: int) -> dict:
    try:
        data = _serializer(purpose).loads(token or "", max_age=max_age)
    except BadSignature:  # SignatureExpired is one too
        return {}
    return data if isinstance(data, dict) else {}


def _user(data: dict) -> User | None:
    user_id = data.get("u")
    return db.session.get(User, user_id) if isinstance(user_id, int) and 0 < user_id < 2**31 else None
