"""User accounts and their roles."""

import enum

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import func
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.time import utcnow
from app.extensions import db


def _no_moderated_communities(user) -> frozenset[int]:
    return frozenset()


_moderated_community_ids_lookup = _no_moderated_communities


def register_moderated_community_ids(lookup) -> None:
    """Let the communities domain answer `User.moderated_community_ids` (auth sits below it)."""
    global _moderated_community_ids_lookup
    _moderated_community_ids_lookup = lookup


class StakeholderType(enum.StrEnum):
    GOVERNMENT = "government"
    PRIVATE_SECTOR = "private_sector"
    CIVIL_SOCIETY = "civil_society"
    ACADEMIA = "academia"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    TECHNICAL_COMMUNITY = "technical_community"

    @property
    def label(self):
        return STAKEHOLDER_LABELS[self]


STAKEHOLDER_LABELS = {
    StakeholderType.GOVERNMENT: _l("Government"),
    StakeholderType.PRIVATE_SECTOR: _l("Private sector"),
    StakeholderType.CIVIL_SOCIETY: _l("Civil society"),
    StakeholderType.ACADEMIA: _l("Academia"),
    StakeholderType.INTERNATIONAL_ORGANISATION: _l("International organisation"),
    StakeholderType.TECHNICAL_COMMUNITY: _l("Technical community"),
}


def _password_hash_method() -> str:
    """PASSWORD_HASH_METHOD (scrypt unless configured; the tests use a cheap one)."""
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"


def _confirmation_required() -> bool:
    return bool(current_app.config.get("REQUIRE_EMAIL_CONFIRMATION")) if has_app_context() else True


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(32), nullable=False)
    email = db.Column(db.String(254), nullable=False)
    password_hash = db.Column(db.String(256), nullable=False)
    display_name = db.Column(db.String(80), nullable=False, default="")
    organisation = db.Column(db.String(120), nullable=False, default="")
    # Chosen at registration; an administrator created from the command line may leave it unset ("").
    stakeholder_type = db.Column(db.String(32), nullable=False, default="")
    country = db.Column(db.String(80), nullable=False, default="")
    bio = db.Column(db.Text, nullable=False, default="")
    locale = db.Column(db.String(8), nullable=True)
    time_zone = db.Column(db.String(64), nullable=True)  # IANA name; None: UTC (dates on pages and in mail)
    email_confirmed_at = db.Column(db.DateTime, nullable=True)
    preferred_view = db.Column(db.String(8), nullable=False, default="tree")
    show_presence = db.Column(db.Boolean, nullable=False, default=True)
    # Light, dark, or "auto": the device's setting (prefers-color-scheme).
    theme = db.Column(db.String(8), nullable=False, default="auto", server_default="auto")
    is_admin = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    session_version = db.Column(db.Integer, nullable=False, default=1)
    suspended_until = db.Column(db.DateTime, nullable=True)
    silenced_until = db.Column(db.DateTime, nullable=True)
    # "approved", or "pending"/"rejected" when administrators approve new accounts (MUST_APPROVE_USERS).
    approval = db.Column(db.String(16), nullable=False, default="approved", server_default="approved")

    __table_args__ = (
        db.Index("uq_users_username_lower", func.lower(username), unique=True),
        db.Index("uq_users_email_lower", func.lower(email), unique=True),
        db.CheckConstraint("preferred_view in ('tree', 'flat')", name="preferred_view"),
    )

    def __repr__(self):
        return f"<User {self.username}>"

    def __str__(self):
        return self.username

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=_password_hash_method())

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """Session id includes a version so that logging out everywhere invalidates old cookies."""
        return f"{self.id}:{self.session_version}"

    @property
    def name(self) -> str:
        if self.approval == "deleted":  # app/auth/mydata.py: the posts they left stay, nameless
            return str(_l("Deleted member"))
        return self.display_name or self.username

    @property
    def stakeholder_label(self):
        if not self.stakeholder_type:
            return _l("Stakeholder group not stated")
        try:
            return StakeholderType(self.stakeholder_type).label
        except ValueError:
            return self.stakeholder_type

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def is_suspended_indefinitely(self) -> bool:
        """Moderation writes an indefinite suspension as the far future (year 9999)."""
        return self.is_suspended and self.suspended_until.year >= 9999

    @property
    def is_silenced(self) -> bool:
        return self.silenced_until is not None and self.silenced_until > utcnow()

    @property
    def is_approved(self) -> bool:
        return self.approval == "approved"

    @property
    def is_active(self) -> bool:
        return not self.is_suspended and self.is_approved

    def can_post(self) -> bool:
        """Signed in, not suspended or silenced, and the address confirmed where the site requires it."""
        return (
            self.is_authenticated and not self.is_suspended and not self.is_silenced
            and (self.email_confirmed or not _confirmation_required())
        )  # fmt: skip

    def moderates(self, community) -> bool:
        """Administrators moderate everything; others the communities they were given."""
        if not self.is_authenticated:
            return False
        if self.is_admin:
            return True
        moderated = self.moderated_community_ids  # asked once: a page asks for every post it shows
        if community is None or not moderated:
            return False
        return any(community_id in moderated for community_id in community.lineage_ids)

    @property
    def moderated_community_ids(self) -> frozenset[int]:
        """The communities this user was made moderator of; communities registers the lookup."""
        return _moderated_community_ids_lookup(self)

    @property
    def is_moderator(self) -> bool:
        return self.is_admin or bool(self.moderated_community_ids)

    def can_edit_profile(self, user) -> bool:
        return user.is_authenticated and (user.id == self.id or user.is_admin)


def find_user_by_login(login: str):
    """The user whose username or email (case-insensitive) is `login`, or None."""
    login = (login or "").strip().lower()
    if not login:
        return None
    return db.session.execute(
        db.select(User).where(db.or_(func.lower(User.username) == login, func.lower(User.email) == login))
    ).scalar_one_or_none()


def find_user_by_username(username: str):
    return db.session.execute(
        db.select(User).where(func.lower(User.username) == (username or "").lower())
    ).scalar_one_or_none()


# What a personal access token may be used for (issue 19): reading; writing as the member (posts,
# reactions, supports, follows); moderating; the consultation (contributions).
TOKEN_SCOPES = ("read", "write", "moderate", "consultation")


class AccessToken(db.Model):
    """A member's personal access token for the API: shown once, kept as its SHA-256 digest (the
    secret is 256 random bits, so a fast digest cannot be guessed back), scoped, revocable, expiring."""

    __tablename__ = "access_tokens"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    name = db.Column(db.String(80), nullable=False)
    digest = db.Column(db.String(64), nullable=False, unique=True)
    # The secret's first characters, to tell tokens apart in the settings and in logs.
    hint = db.Column(db.String(12), nullable=False)
    scopes = db.Column(db.String(80), nullable=False)  # space-separated TOKEN_SCOPES
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime, nullable=True)
    last_used_at = db.Column(db.DateTime, nullable=True)
    revoked_at = db.Column(db.DateTime, nullable=True)

    user = db.relationship("User")

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    def is_usable(self, now=None) -> bool:
        """Not revoked, not expired, and its member may still sign in (not suspended or unapproved)."""
        now = now or utcnow()
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
            and self.user.is_active
        )

    def allows(self, scope: str) -> bool:
        return scope in self.scope_set

    def can_revoke(self, user) -> bool:
        return user.is_authenticated and user.id == self.user_id and self.revoked_at is None


class OidcLink(db.Model):
    """A member's account at the organisation's OpenID Connect provider (issuer and subject)."""

    __tablename__ = "oidc_links"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    issuer = db.Column(db.String(300), nullable=False)
    subject = db.Column(db.String(255), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    user = db.relationship("User")

    __table_args__ = (db.UniqueConstraint("issuer", "subject", name="uq_oidc_links_subject"),)
