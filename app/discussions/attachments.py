"""Files on posts: a post's images and documents are seen by whoever may see its body (a hidden or
deleted post's files are hidden with it; moderators still see them)."""

from flask import current_app

from app.discussions.models import Post
from app.extensions import db
from app.files import parents


def _load(post_id: int) -> Post | None:
    return db.session.get(Post, post_id)


def can_view_files(post: Post, user) -> bool:
    return post.can_read(user) and post.can_view_body(user)


def allowed_types() -> set[str]:
    return {value.strip() for value in current_app.config["UPLOAD_TYPES_POST"].split(",") if value.strip()}


def register() -> None:
    parents.register("post", _load, can_view_files, allowed_types)
