"""Single sign-on with the organisation's OpenID Connect provider (Authlib's Flask client).

Configured by OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (and OIDC_NAME for the button);
without them the sign-in page offers no such button and these routes answer 404. The flow is the
authorization code with PKCE (S256); Authlib keeps the state and nonce in the session and checks
both, and the ID token's signature, issuer, audience and expiry, against the provider's discovery
document and keys.

The provider's subject (issuer + `sub`) is linked to one account: on first sign-in to the account
with the same address when the provider says the address is verified, otherwise to a new account
(its username from `preferred_username` or the address, made unique; the address confirmed only if
verified). A suspended, unapproved or deleted account is refused as at the sign-in form.
"""

import logging
import re
import secrets

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from app.auth import bp, services
from app.auth.models import OidcLink, User, find_user_by_login, find_user_by_username
from app.core.time import utcnow
from app.core.urls import safe_next
from app.extensions import db

logger = logging.getLogger(__name__)
USERNAME_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")


def _client():
    return current_app.extensions["majlis_oidc"].oidc


def configured() -> bool:
    return "majlis_oidc" in current_app.extensions


def init_app(app) -> None:
    if not (app.config.get("OIDC_ISSUER") and app.config.get("OIDC_CLIENT_ID")):
        return
    oauth = OAuth(app)  # one per app: Authlib keeps each registered client's settings
    app.extensions["majlis_oidc"] = oauth
    oauth.register(
        "oidc",
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=app.config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
    )


@bp.route("/auth/oidc")
def oidc_login():
    """Go to the provider to sign in (the return address and a safe `next` are remembered)."""
    if not configured():
        abort(404)
    session["oidc_next"] = safe_next(request.args.get("next")) or ""
    return _client().authorize_redirect(url_for("auth.oidc_callback", _external=True))


@bp.route("/auth/oidc/callback")
def oidc_callback():
    """Back from the provider: check the answer, find or make the account, sign it in."""
    if not configured():
        abort(404)
    try:
        token = _client().authorize_access_token()
    except OAuthError as error:
        logger.warning("OpenID Connect sign-in refused: %s", error)
        flash(_("Signing in with your organisation did not work. Try again."), "error")
        return redirect(url_for("auth.login"))
    claims = token.get("userinfo") or {}
    if not claims.get("sub"):
        flash(_("Signing in with your organisation did not work. Try again."), "error")
        return redirect(url_for("auth.login"))
    user = _account_for(claims)
    if user.is_suspended or not user.is_approved:
        db.session.rollback()
        flash(_("This account cannot sign in."), "error")
        return redirect(url_for("auth.login"))
    db.session.commit()
    login_user(user)
    flash(_("Welcome, %(name)s.", name=user.name), "success")
    return redirect(session.pop("oidc_next", "") or url_for("communities.index"))


def _account_for(claims) -> User:
    issuer = current_app.config["OIDC_ISSUER"].rstrip("/")
    link = db.session.execute(
        db.select(OidcLink).filter_by(issuer=issuer, subject=str(claims["sub"]))
    ).scalar_one_or_none()
    if link is not None:
        return link.user
    email = (claims.get("email") or "").strip()
    verified = bool(claims.get("email_verified")) and bool(email)
    user = find_user_by_login(email) if verified else None
    if user is None:
        user = _new_account(claims, email, verified)
    elif user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    db.session.add(OidcLink(user_id=user.id, issuer=issuer, subject=str(claims["sub"])))
    db.session.flush()
    logger.info("%s linked to %s at %s", user, claims["sub"], issuer)
    return user


def _new_account(claims, email: str, verified: bool) -> User:
    wanted = claims.get("preferred_username") or email.split("@")[0] or "member"
    base = USERNAME_CHARS.sub("", wanted)[:28].strip("._-") or "member"
    base = base if len(base) >= 3 else f"{base}_member"
    username, n = base, 1
    while find_user_by_username(username) is not None:
        n += 1
        username = f"{base}{n}"
    stand_in = not email or find_user_by_login(email) is not None
    if stand_in:  # no usable address: a placeholder, never mailed, until they give theirs in their settings
        email = f"{username}-{secrets.token_hex(4)}@sso.invalid"
    user = services.register(
        username, email, secrets.token_urlsafe(32), needs_approval=current_app.config["MUST_APPROVE_USERS"],
        confirmed=verified or stand_in, display_name=(claims.get("name") or "")[:80],
    )  # fmt: skip
    if stand_in:
        user.email_confirmed_at = None
    return user


def provider_name() -> str | None:
    """The button's label on the sign-in page, or None when single sign-on is off."""
    if not configured():
        return None
    return current_app.config.get("OIDC_NAME") or _("your organisation")
