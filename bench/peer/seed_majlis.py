"""Seed a Majlis database with the data set, as the app would have made it. Run with the configuration
in the environment (DATABASE_URL, SEARCH_BACKEND, SEARCH_INDEX_DIR, INSTANCE_DIR):

    .venv/bin/python bench/peer/seed_majlis.py

`flask prepare` (schema, action-line communities), members through `auth.services.register`, then
threads and posts inserted in bulk with what `discussions.services` would have written: body
digest, rendered and sanitised HTML (while the schema stores it), tree path and depth, language, thread post count and last activity,
and the follow of each thread by everyone who posted in it. Then the search index is rebuilt
(`flask search reindex`). Replies written by the benchmark use the real services.
Notifications of followers for the seeded posts are not made.
"""

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import dataset  # noqa: E402

from app import create_app  # noqa: E402
from app.auth import services as accounts  # noqa: E402
from app.communities.models import Community  # noqa: E402
from app.core.schema import prepare_database  # noqa: E402
from app.core.text import RENDER_VERSION, render_markdown  # noqa: E402
from app.discussions.models import Post, Thread, ThreadFollow, body_digest, path_segment  # noqa: E402
from app.extensions import db  # noqa: E402
from config import Config  # noqa: E402

BATCH = 5_000


def seed_users(data) -> list[int]:
    ids = []
    for number, (username, email) in enumerate(data.users):
        user = accounts.register(
            username,
            email,
            dataset.PASSWORD,
            confirmed=True,
            organisation=f"Organisation {number % 12}",
            country="Ghana",
        )
        user.created_at = dataset.START - timedelta(days=60)
        ids.append(user.id)
    db.session.commit()
    return ids


def thread_rows(data, user_ids, communities) -> list[dict]:
    rows = []
    for topic in data.topics:
        rows.append(
            {
                "id": topic.index + 1,
                "community_id": communities[topic.forum],
                "author_id": user_ids[topic.author],
                "title": topic.title,
                "created_at": topic.created_at,
                "last_activity_at": topic.posts[-1].created_at,
                "post_count": len(topic.posts),
            }
        )
    return rows


def post_rows(data, user_ids):
    """The posts in id order, in batches; tree path and depth from the parent's. The rendered HTML
    only where the schema still stores it (migration 0007 renders it when shown)."""
    stores_html = "body_html" in Post.__table__.c
    paths, depths, batch = {}, {}, []
    for post in data.posts:
        parent = post.parent
        paths[post.number] = (paths[parent] + "." if parent else "") + path_segment(post.number)
        depths[post.number] = depths[parent] + 1 if parent else 0
        row = {
            "id": post.number,
            "thread_id": post.topic + 1,
            "parent_id": parent,
            "author_id": user_ids[post.author],
            "tree_path": paths[post.number],
            "depth": depths[post.number],
            "body_source": post.body,
            "body_digest": body_digest(post.body),
            "render_version": RENDER_VERSION,
            "language": post.language,
            "created_at": post.created_at,
        }
        if stores_html:
            row["body_html"] = render_markdown(post.body)
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def follow_rows(data, user_ids) -> list[dict]:
    """`follow_thread(thread, author)` for every post: each poster follows from their first post."""
    first = {}
    for post in data.posts:
        first.setdefault((post.topic + 1, user_ids[post.author]), post.created_at)
    return [{"thread_id": t, "user_id": u, "created_at": when} for (t, u), when in first.items()]


def advance_sequences() -> None:
    """Rows were inserted with explicit ids: PostgreSQL's sequences must continue after them."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("threads", "posts"):
        db.session.execute(
            db.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        )
    db.session.commit()


def main() -> None:
    os.environ.setdefault("SEARCH_INDEXER", "inline")
    os.environ.setdefault("JOBS_RUNNER", "inline")
    app = create_app(Config())
    started = time.perf_counter()
    with app.app_context():
        prepare_database()
        data = dataset.generate()
        user_ids = seed_users(data)
        communities = dict(db.session.execute(db.select(Community.slug, Community.id)).all())
        db.session.execute(db.insert(Thread), thread_rows(data, user_ids, communities))
        for batch in post_rows(data, user_ids):
            db.session.execute(db.insert(Post), batch)
        db.session.execute(db.insert(ThreadFollow), follow_rows(data, user_ids))
        db.session.commit()
        advance_sequences()
        print(f"  rows inserted ({time.perf_counter() - started:.0f} s)", flush=True)
        count = app.extensions["majlis_search"].indexer.rebuild()
        print(
            f"  search index rebuilt, {count} documents ({time.perf_counter() - started:.0f} s)", flush=True
        )


if __name__ == "__main__":
    main()
