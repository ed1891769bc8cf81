"""Files on posts: a post's images and documents are seen by whoever may see its body (a hidden or
deleted post's files are hidden with it; moderators still see them)."""

from flask import current_app, url_for

from app.core import signals
from app.core.time import utcnow
from app.discussions.models import Post
from app.extensions import db
from app.files import parents


def _load(post_id: int) -> Post | None:
    return db.session.get(Post, post_id)


def can_view_files(post: Post, user) -> bool:
    return post.can_read(user) and post.can_view_body(user)


def allowed_types() -> set[str]:
    return {value.strip() for value in current_app.config["UPLOAD_TYPES_POST"].split(",") if value.strip()}


def describe(post: Post) -> dict:
    """Where a post's file sits, for a search result: the thread, its community, the post's author."""
    return {
        "community_ids": [post.thread.community_id], "title": post.thread.title,
        "url": url_for("discussions.permalink", post_id=post.id), "author_username": post.author.username,
        "language": post.language,
    }  # fmt: skip


def file_removed(post: Post, _user) -> None:
    """A post that lost a file reads as edited, and its history says which file went, when and by whom;
    search sees it without the file (`has:attachment`)."""
    post.edited_at = utcnow()
    signals.searchable_changed.send(
        "thread" if post.parent_id is None else "post",
        entity_id=post.thread_id if post.parent_id is None else post.id,
        operation="upsert",
    )


def register() -> None:
    parents.register(
        "post", _load, can_view_files, allowed_types, lambda post, user: post.can_edit(user), describe,
        changed=file_removed,
    )  # fmt: skip
