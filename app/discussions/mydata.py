"""What discussions keeps of a member, in "Download my data" and when they delete their account
(`app/auth/mydata.py`): their threads, posts, reactions, bookmarks and watch levels.

Deleting the account keeps their posts (as a deleted member's) so threads stay readable; asked to
erase their text, every post of theirs becomes a deleted post's placeholder with its text and
versions gone, and the threads they started lose their titles.
"""

from flask_babel import lazy_gettext as _l

from app.auth import mydata
from app.core import signals
from app.discussions import services
from app.discussions.models import (
    Bookmark,
    CommunityRead,
    FeedKey,
    Post,
    PostRevision,
    Reaction,
    Thread,
    ThreadFollow,
    ThreadRead,
)  # fmt: skip
from app.extensions import db


def _threads(user) -> list[dict]:
    rows = db.session.execute(db.select(Thread).filter_by(author_id=user.id).order_by(Thread.id)).scalars()
    return [
        {"id": t.id, "title": t.title, "community": t.community.slug, "created_at": t.created_at}
        for t in rows
    ]


def _posts(user) -> list[dict]:
    rows = db.session.execute(db.select(Post).filter_by(author_id=user.id).order_by(Post.id)).scalars()
    return [
        {"id": p.id, "thread_id": p.thread_id, "parent_id": p.parent_id, "created_at": p.created_at,
         "edited_at": p.edited_at, "deleted": p.deleted_at is not None, "hidden": p.hidden_at is not None,
         "body": p.body_source}
        for p in rows
    ]  # fmt: skip


def _reactions(user) -> list[dict]:
    rows = db.session.execute(db.select(Reaction).filter_by(user_id=user.id).order_by(Reaction.id)).scalars()
    return [{"post_id": r.post_id, "kind": r.kind, "created_at": r.created_at} for r in rows]


def _bookmarks(user) -> list[dict]:
    rows = db.session.execute(db.select(Bookmark).filter_by(user_id=user.id).order_by(Bookmark.id)).scalars()
    return [
        {"thread_id": b.thread_id, "post_id": b.post_id, "remind_at": b.remind_at, "created_at": b.created_at}
        for b in rows
    ]


def _forget(user, erase_text: bool) -> None:
    for model in (Reaction, Bookmark, ThreadFollow, ThreadRead, CommunityRead, FeedKey):
        db.session.execute(db.delete(model).where(model.user_id == user.id))
    if not erase_text:
        return
    posts = list(db.session.execute(db.select(Post).filter_by(author_id=user.id)).scalars())
    for post in posts:
        if post.deleted_at is None:
            services.delete_post(post, user)  # the placeholder everywhere: pages, search, live
        post.body_source = ""
    db.session.execute(db.delete(PostRevision).where(PostRevision.post_id.in_([post.id for post in posts])))
    for thread in db.session.execute(db.select(Thread).filter_by(author_id=user.id)).scalars():
        thread.title = str(_l("A deleted member's thread"))
        signals.searchable_changed.send("thread", entity_id=thread.id, operation="upsert")
    db.session.flush()


def register() -> None:
    mydata.register_export("threads", _threads)
    mydata.register_export("posts", _posts)
    mydata.register_export("reactions", _reactions)
    mydata.register_export("bookmarks", _bookmarks)
    mydata.register_erasure("discussions", _forget)
