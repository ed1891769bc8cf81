"""Account actions."""

import logging

from flask_babel import lazy_gettext as _l

from app import jobs
from app.auth import mail as account_mail
from app.auth.models import User, find_user_by_login, find_user_by_username
from app.core import signals
from app.core.refusals import Refused
from app.core.time import utcnow
from app.extensions import db

logger = logging.getLogger(__name__)

PASSWORD_RESET_JOB = "auth.password-reset"


EMAIL_UNUSABLE = _l(
    "This email address cannot be used for a new account (it may be mistyped or taken). "
    "If you already have an account, sign in instead."
)


class AccountError(Refused):
    """A rule refused the account action; `field` names the form field it concerns."""


def register(username, email, password, needs_approval=False, confirmed=False, **profile) -> User:
    """Create a member account. Username and email are unique regardless of case.

    With `needs_approval` (MUST_APPROVE_USERS) the account cannot sign in until an administrator
    approves it in the review queue. The address is mailed a confirmation link, unless it is known
    to be `confirmed` (an operator's account, an import).
    """
    if find_user_by_username(username) is not None:
        raise AccountError(_l("That username is taken."), field="username")
    if find_user_by_login(email) is not None:
        # Do not confirm that the address has an account (enumeration); the rate limit caps probing.
        raise AccountError(EMAIL_UNUSABLE, field="email")
    user = User(username=username.strip(), email=email.strip(), **profile)
    user.approval = "pending" if needs_approval else "approved"
    user.set_password(password)
    user.email_confirmed_at = utcnow() if confirmed else None
    db.session.add(user)
    db.session.flush()
    if not confirmed:
        account_mail.send_confirmation(user)
    logger.info("User %s registered%s", user, " (awaiting approval)" if needs_approval else "")
    return user


def create_admin(username, email, password, stakeholder_type=None) -> User:
    """Create an administrator, or promote the existing account with that username. No stakeholder
    group is assumed: it is the one given, or unset until they choose one in their settings."""
    user = find_user_by_username(username)
    if user is None:
        user = register(username, email, password, confirmed=True, stakeholder_type=stakeholder_type or "")
    elif stakeholder_type:
        user.stakeholder_type = stakeholder_type
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


def confirm_email(user, address: str) -> bool:
    """Confirm `address` for `user` (from a valid link): the account's own address, or the one it
    asked to change to, which becomes its address (the old one is told). False when the link is stale."""
    address = address.strip().lower()
    if address == user.email.lower():
        if user.email_confirmed_at is None:
            user.email_confirmed_at = utcnow()
            db.session.flush()
            logger.info("User %s confirmed %s", user, user.email)
        return True
    owner = find_user_by_login(address)
    if owner is not None:
        raise AccountError(EMAIL_UNUSABLE)
    old_address = user.email
    user.email, user.email_confirmed_at = address, utcnow()
    db.session.flush()
    account_mail.send_address_changed(user, old_address)
    logger.info("User %s changed their address", user)
    return True


def request_email_change(user, new_address: str, password: str) -> None:
    """Send a confirmation link to `new_address`; the account keeps its address until it is followed."""
    if not user.check_password(password):
        raise AccountError(_l("The current password is wrong."), field="password")
    new_address = new_address.strip()
    if new_address.lower() == user.email.lower():
        raise AccountError(_l("That is already your address."), field="email")
    if find_user_by_login(new_address) is not None:
        raise AccountError(EMAIL_UNUSABLE, field="email")
    account_mail.send_confirmation(user, new_address)
    logger.info("User %s asked to change their address", user)


def resend_confirmation(user) -> None:
    if user.email_confirmed_at is None:
        account_mail.send_confirmation(user)


def request_password_reset(login: str) -> None:
    """Queue the look-up and the mail for whoever `login` names: the request does the same work
    whether or not there is such an account (no enumeration, no timing difference)."""
    jobs.enqueue(PASSWORD_RESET_JOB, login=(login or "").strip()[:254])


def send_password_reset_to(login: str) -> None:
    """The password-reset job: mail a reset link to the account `login` names, if there is one."""
    user = find_user_by_login(login)
    if user is None:
        logger.info("Password reset asked for an unknown account")
        return
    account_mail.send_password_reset(user)
    logger.info("Password reset link sent to %s", user)


def reset_password(user, new_password: str) -> None:
    """Set a new password from a reset link: the link dies with the old password, every other
    session ends, and the address is confirmed (the link reached it)."""
    user.set_password(new_password)
    user.session_version += 1
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    db.session.flush()
    logger.info("Password of %s reset by mail", user)
    signals.user_sessions_revoked.send(user)
