"""The account's own mail: confirm an address, a changed address, reset a password.

Account messages are never unsubscribable (no List-Unsubscribe): they come only when the member or
someone at the sign-in page asks for them.
"""

from flask_babel import lazy_gettext as _l

from app.auth import tokens
from app.mail import ACCOUNT, send_mail, send_to_user, site_url


def send_confirmation(user, address: str | None = None) -> None:
    """A link that confirms `address` (the account's own, or the new one it asked to change to)."""
    address = address or user.email
    link = site_url("auth.confirm_email", token=tokens.confirmation_token(user, address))
    send_mail(
        address, _l("Confirm your email address"), "auth/mail/confirm", category=ACCOUNT, user=user,
        locale=user.locale, time_zone=user.time_zone, link=link, address=address,
        changing=address.lower() != user.email.lower(),
    )  # fmt: skip


def send_address_changed(user, old_address: str) -> None:
    """Tell the old address that the account now uses another one (and what to do if that was not them)."""
    send_mail(
        old_address, _l("Your email address was changed"), "auth/mail/address_changed", category=ACCOUNT,
        user=user, locale=user.locale, time_zone=user.time_zone, new_address=user.email,
        reset_link=site_url("auth.forgot_password"),
    )  # fmt: skip


def send_password_reset(user) -> None:
    link = site_url("auth.reset_password", token=tokens.reset_token(user))
    send_to_user(user, _l("Reset your password"), "auth/mail/reset", category=ACCOUNT, link=link)
