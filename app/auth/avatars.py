"""Avatars: a member's picture, an uploaded image that the files package re-encodes (no EXIF, no GPS)
and thumbnails; without one, their initials. Everyone who may open a profile sees it."""

from flask import url_for

from app.auth.models import User
from app.extensions import db
from app.files import parents
from app.files import services as files
from app.files.inspection import JPEG, PNG, WEBP

AVATAR = "avatar"


def _load(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def _describe(user: User) -> dict:
    return {
        "community_ids": [], "title": user.name, "url": url_for("auth.profile", username=user.username),
        "author_username": user.username, "language": None,
    }  # fmt: skip


def set_avatar(user: User, data: bytes, filename: str) -> None:
    """Store the image as the member's avatar; the one before is taken off."""
    row = files.upload(user, data, filename, AVATAR)
    for old in files.attachments_of(AVATAR, [user.id]).get(user.id, []):
        files.remove(old, user)
    files.attach([row.id], AVATAR, user.id, user)


def remove_avatar(user: User) -> None:
    for old in files.attachments_of(AVATAR, [user.id]).get(user.id, []):
        files.remove(old, user)


def avatar_url(user: User) -> str | None:
    """The address of the member's picture (its thumbnail), or None: show their initials."""
    found = files.attachments_of(AVATAR, [user.id]).get(user.id, [])
    if not found or found[-1].is_quarantined:
        return None
    row = found[-1]
    if row.thumbnail_digest:
        return url_for("files.thumbnail", upload_id=row.id)
    return url_for("files.download", upload_id=row.id, name=row.name)


def initials(user: User) -> str:
    words = [word for word in (user.display_name or user.username).replace("_", " ").split() if word]
    return "".join(word[0] for word in words[:2]).upper() or user.username[:1].upper()


def register(app) -> None:
    parents.register(
        AVATAR, _load, lambda user, viewer: True, lambda: {PNG, JPEG, WEBP},
        lambda user, viewer: viewer.is_authenticated and viewer.id == user.id, _describe,
    )  # fmt: skip
    app.jinja_env.globals.update(avatar_url=avatar_url, avatar_initials=initials)
    app.config.setdefault("FILE_UPLOAD_ENDPOINTS", set()).add("auth.upload_avatar")
