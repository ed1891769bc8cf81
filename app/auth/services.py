"""Account actions."""

import logging

from flask_babel import lazy_gettext as _l

from app.auth.models import User, find_user_by_login, find_user_by_username
from app.core import signals
from app.core.refusals import Refused
from app.extensions import db

logger = logging.getLogger(__name__)


EMAIL_UNUSABLE = _l(
    "This email address cannot be used for a new account (it may be mistyped or taken). "
    "If you already have an account, sign in instead."
)


class AccountError(Refused):
    """A rule refused the account action; `field` names the form field it concerns."""


def register(username, email, password, needs_approval=False, **profile) -> User:
    """Create a member account. Username and email are unique regardless of case.

    With `needs_approval` (MUST_APPROVE_USERS) the account cannot sign in until an administrator
    approves it in the review queue.
    """
    if find_user_by_username(username) is not None:
        raise AccountError(_l("That username is taken."), field="username")
    if find_user_by_login(email) is not None:
        # Do not confirm that the address has an account (enumeration); the rate limit caps probing.
        raise AccountError(EMAIL_UNUSABLE, field="email")
    user = User(username=username.strip(), email=email.strip(), **profile)
    user.approval = "pending" if needs_approval else "approved"
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    logger.info("User %s registered%s", user, " (awaiting approval)" if needs_approval else "")
    return user


def create_admin(username, email, password) -> User:
    """Create an administrator, or promote the existing account with that username."""
    user = find_user_by_username(username)
    if user is None:
        user = register(username, email, password)
    else:
        user.set_password(password)
    user.is_admin = True
    user.approval = "approved"
    db.session.flush()
    logger.info("User %s is an administrator", user)
    return user


def authenticate(login, password) -> User | None:
    """The user for these credentials, or None (same answer for unknown user and wrong password)."""
    user = find_user_by_login(login)
    if user is None:
        User(password_hash="").set_password(password)  # same work either way: no timing oracle
        return None
    return user if user.check_password(password) else None


def update_profile(user, **fields) -> None:
    for name, value in fields.items():
        setattr(user, name, value)
    db.session.flush()
    logger.info("Profile of %s updated", user)


def change_password(user, current_password, new_password) -> None:
    if not user.check_password(current_password):
        raise AccountError(_l("The current password is wrong."), field="current_password")
    user.set_password(new_password)
    user.session_version += 1
    db.session.flush()
    logger.info("Password of %s changed", user)
    signals.user_sessions_revoked.send(user)


def log_out_everywhere(user) -> None:
    """End every session of this user (cookies and sockets)."""
    user.session_version += 1
    db.session.flush()
    signals.user_sessions_revoked.send(user)
