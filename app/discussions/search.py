"""How search sees discussions: the "thread" and "post" providers, and which changes reindex what.

Threads are indexed with their title and opening post, replies as posts: the opening post is part
of its thread's document, so a search does not list it twice. Removed posts, posts of removed
threads and removed threads are left out of the index, and so are posts and threads held for
approval until they are approved; `visible()` checks the database again at query time (removal,
thread state and the reader's communities).
"""

from flask import url_for
from sqlalchemy.orm import joinedload

from app.core import signals
from app.core.text import plain_text
from app.discussions.models import Post, Thread
from app.extensions import db
from app.files.services import with_attachments
from app.search.indexer import enqueue, enqueue_selected
from app.search.registry import SearchDocument, register_provider

BATCH = 500


def _chunks(ids, size=BATCH):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _ids_among(statement, id_column, ids) -> set[int]:
    """The ids that `statement` (a select of `id_column`) returns among `ids`, asked in chunks."""
    found = set()
    for chunk in _chunks(ids):
        found |= set(db.session.execute(statement.where(id_column.in_(chunk))).scalars())
    return found


class ThreadProvider:
    type_name = "thread"
    readable_by_community = True  # removed and held threads are not indexed

    def documents(self, ids: list[int]) -> list[SearchDocument]:
        """Thread documents: the title, and the opening post's text unless it was removed."""
        documents = []
        for chunk in _chunks(ids):
            threads = db.session.execute(
                db.select(Thread).where(Thread.id.in_(chunk), Thread.published_clause())
            ).scalars()
            openings = {
                post.thread_id: post
                for post in db.session.execute(
                    db.select(Post).where(Post.thread_id.in_(chunk), Post.parent_id.is_(None))
                ).scalars()
            }
            with_files = with_attachments("post", [post.id for post in openings.values()])
            documents.extend(
                self._document(thread, openings.get(thread.id), with_files) for thread in threads
            )
        return documents

    @staticmethod
    def _document(thread: Thread, opening: Post | None, with_files: set[int]) -> SearchDocument:
        shown = opening is not None and not opening.is_removed
        return SearchDocument(
            type="thread",
            id=thread.id,
            title=thread.title,
            text=plain_text(opening.body_source) if shown else "",
            language=opening.language if opening is not None else None,
            community_ids=[thread.community_id],
            author_username=thread.author.username,
            created_at=thread.created_at,
            url=url_for("discussions.show_thread", thread_id=thread.id),
            thread_id=thread.id,
            has=("attachment",) if shown and opening.id in with_files else (),
        )

    def all_ids(self):
        return db.session.execute(
            db.select(Thread.id).where(Thread.published_clause()).order_by(Thread.id)
        ).scalars()

    def visible(self, user, ids: list[int]) -> set[int]:
        return _ids_among(db.select(Thread.id).where(Thread.readable_clause(user)), Thread.id, ids)


class PostProvider:
    type_name = "post"
    readable_by_community = True  # removed and held posts are not indexed

    @staticmethod
    def _indexable():
        return db.and_(Post.parent_id.is_not(None), Post.published_clause(), Thread.published_clause())

    def documents(self, ids: list[int]) -> list[SearchDocument]:
        """Replies that are not removed, in threads that are not removed."""
        documents = []
        for chunk in _chunks(ids):
            posts = db.session.execute(
                db.select(Post)
                .join(Thread, Post.thread_id == Thread.id)
                .where(Post.id.in_(chunk), self._indexable())
                .options(joinedload(Post.thread, innerjoin=True), joinedload(Post.author))
            ).scalars()
            with_files = with_attachments("post", chunk)
            documents.extend(self._document(post, post.id in with_files) for post in posts)
        return documents

    @staticmethod
    def _document(post: Post, has_files: bool) -> SearchDocument:
        return SearchDocument(
            type="post",
            id=post.id,
            title="",  # the thread's title belongs to the thread's document
            text=plain_text(post.body_source),
            language=post.language,
            community_ids=[post.thread.community_id],
            author_username=post.author.username,
            created_at=post.created_at,
            url=url_for("discussions.permalink", post_id=post.id),
            thread_id=post.thread_id,
            extra={"thread_title": post.thread.title},
            has=("attachment",) if has_files else (),
        )

    def all_ids(self):
        return db.session.execute(
            db.select(Post.id)
            .join(Thread, Post.thread_id == Thread.id)
            .where(self._indexable())
            .order_by(Post.id)
        ).scalars()

    def visible(self, user, ids: list[int]) -> set[int]:
        readable = (
            db.select(Post.id).join(Thread, Post.thread_id == Thread.id).where(Post.readable_clause(user))
        )
        return _ids_among(readable, Post.id, ids)


def _post_changed(post, **kwargs) -> None:
    if post.parent_id is None:
        enqueue("thread", post.thread_id)
    else:
        enqueue("post", post.id)


def _thread_created(thread, **kwargs) -> None:
    enqueue("thread", thread.id)


def _thread_changed(thread, **kwargs) -> None:
    """A move, hide or split affects every post of the thread: all are reindexed, in one statement.

    The opening post is included: after a split it may have been a reply, whose document must go.
    """
    enqueue("thread", thread.id)
    enqueue_selected("post", db.select(Post.id).where(Post.thread_id == thread.id))


# Every change to what a thread or post shows becomes an outbox row (connected by subscribers.py).
SUBSCRIPTIONS = [
    (signals.post_created, _post_changed),
    (signals.post_edited, _post_changed),
    (signals.post_removed, _post_changed),
    (signals.post_restored, _post_changed),
    (signals.thread_created, _thread_created),
    (signals.thread_changed, _thread_changed),
]


def register() -> None:
    """Register the thread and post providers."""
    register_provider(ThreadProvider())
    register_provider(PostProvider())
