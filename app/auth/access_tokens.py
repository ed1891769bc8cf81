"""Personal access tokens for the API: created and revoked in the member's settings, shown once.

A token is `mjl_` and 43 URL-safe characters (256 random bits); only its SHA-256 digest is kept, as
GitHub does for its tokens: a slow password hash buys nothing against a secret that cannot be
guessed, and would cost every API request. A request names it in `Authorization: Bearer …`;
`authenticate` answers the token only while it is usable (not revoked, not expired, its member
still allowed to sign in), so a suspended member's tokens stop at once and work again if the
suspension ends.
"""

import hashlib
import logging
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.auth.models import TOKEN_SCOPES, AccessToken
from app.core.refusals import Refused
from app.core.time import utcnow
from app.extensions import db

logger = logging.getLogger(__name__)

PREFIX = "mjl_"
# A member's live tokens at most (an integration each; more is a leak waiting to happen).
MAX_TOKENS = 20
# How stale "last used" may be: noting every request would make each read a write.
LAST_USED_STEP = timedelta(minutes=5)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def live_tokens(user) -> list[AccessToken]:
    """The member's tokens not revoked, newest first (expired ones stay listed, marked)."""
    return list(
        db.session.execute(
            db.select(AccessToken)
            .where(AccessToken.user_id == user.id, AccessToken.revoked_at.is_(None))
            .order_by(AccessToken.created_at.desc(), AccessToken.id.desc())
        ).scalars()
    )


def create_token(user, name: str, scopes, days: int | None) -> tuple[AccessToken, str]:
    """A new token for `user` and its secret, which is never shown again."""
    name = (name or "").strip()
    scopes = [scope for scope in TOKEN_SCOPES if scope in set(scopes or ())]
    if not name:
        raise Refused(_l("Name the token after what will use it."), field="name")
    if not scopes:
        raise Refused(_l("Choose at least one scope."), field="scopes")
    if len(live_tokens(user)) >= MAX_TOKENS:
        raise Refused(_l("You have %(count)d tokens: revoke one you no longer use first.", count=MAX_TOKENS))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(
        user_id=user.id, name=name[:80], digest=digest_of(secret), hint=secret[: len(PREFIX) + 4],
        scopes=" ".join(scopes), expires_at=utcnow() + timedelta(days=days) if days else None,
    )  # fmt: skip
    db.session.add(token)
    db.session.flush()
    logger.info("Access token %s (%s) created by %s", token.id, token.hint, user)
    return token, secret


def revoke_token(token: AccessToken) -> None:
    token.revoked_at = utcnow()
    db.session.flush()
    logger.info("Access token %s (%s) revoked", token.id, token.hint)


def authenticate(secret: str) -> AccessToken | None:
    """The usable token this secret names, or None."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = db.session.execute(
        db.select(AccessToken).where(AccessToken.digest == digest_of(secret))
    ).scalar_one_or_none()
    if token is None or not token.is_usable():
        return None
    return token


def note_use(token: AccessToken) -> bool:
    """Record that the token was used now, at most every few minutes; True when a row changed."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_STEP:
        return False
    token.last_used_at = now
    db.session.flush()
    return True
