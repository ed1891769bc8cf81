"""Seed an installed FlaskBB 2.2.0 database with the data set. Runs under FlaskBB's own Python:

    $PEER_HOME/flaskbb/venv/bin/python bench/peer/seed_flaskbb.py FLASKBB_CFG IDS_JSON

with FLASKBB_SQLALCHEMY_DATABASE_URI and FLASKBB_WHOOSHEE_DIR in the environment, after `flaskbb install`.
Follows FlaskBB's own bulk loader (flaskbb.utils.populate.insert_bulk_data): topics through
`Topic.save`, replies with `bulk_save_objects`, then the counters and last-post columns recalculated,
then `whooshee.reindex()`. Per-commit indexing is switched off while loading (WHOOSHEE_ENABLE_INDEXING).
Writes the FlaskBB ids of the topics (in data-set order) and forums (by slug) to IDS_JSON.
Pages show 50 posts and 25 topics, as Majlis's do (FlaskBB's defaults are 10 and 10).
"""

import json
import os
import sys
import time
from datetime import UTC, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dataset  # noqa: E402
from flaskbb import create_app  # noqa: E402
from flaskbb.extensions import db, whooshee  # noqa: E402
from flaskbb.forum.models import Category, Forum, Post, Topic  # noqa: E402
from flaskbb.management.models import Setting  # noqa: E402
from flaskbb.user.models import User  # noqa: E402
from flaskbb.utils.populate import create_user  # noqa: E402

BATCH = 5_000


def utc(moment):
    """The data set's naive UTC times as FlaskBB's UTCDateTime columns require them."""
    return moment.replace(tzinfo=UTC)


def seed_users(data) -> list:
    people = []
    for username, email in data.users:
        user = create_user(username, dataset.PASSWORD, email, "member")
        user.date_joined = utc(dataset.START - timedelta(days=60))
        people.append(user)
    db.session.commit()
    return people


def seed_forums() -> dict:
    # `flaskbb install` always creates a welcome category (its --welcome flag defaults to on).
    for category in db.session.execute(db.select(Category)).scalars().unique().all():
        category.delete()
    lines = Category(title="WSIS Action Lines", position=1)
    c7 = Category(title="C7 ICT applications", position=2)
    lines.save()
    c7.save()
    forums = {}
    for position, (slug, title) in enumerate(dataset.FORUMS, start=1):
        category = c7 if slug.startswith("c7-") else lines
        forums[slug] = Forum(title=title, description=f"Discussions of {title}", category_id=category.id)
        forums[slug].position = position
        forums[slug].save()
    return forums


def seed_topics(data, people, forums) -> dict:
    """Each topic with its opening post, through Topic.save; returns topic index -> topic id."""
    ids = {}
    with db.session.no_autoflush:
        for topic in data.topics:
            opening = topic.posts[0]
            saved = Topic(title=topic.title).save(
                user=people[topic.author], forum=forums[topic.forum], post=Post(content=opening.body)
            )
            ids[topic.index] = saved.id
    return ids


def seed_replies(data, people, topic_ids) -> None:
    replies = [post for post in data.posts if post.parent is not None]
    for start in range(0, len(replies), BATCH):
        objects = []
        for reply in replies[start : start + BATCH]:
            post = Post(content=reply.body, user=people[reply.author], topic=topic_ids[reply.topic])
            post.date_created = utc(reply.created_at)
            objects.append(post)
        db.session.bulk_save_objects(objects)
        db.session.commit()


def fix_dates_and_counters(data, topic_ids) -> None:
    """Dates from the data set, then the columns Topic.save and Post.save keep for each new post."""
    first_posts = dict(db.session.execute(db.select(Topic.id, Topic.first_post_id)).all())
    for topic in data.topics:
        topic_id, created = topic_ids[topic.index], utc(topic.created_at)
        db.session.execute(db.update(Topic).where(Topic.id == topic_id).values(date_created=created))
        db.session.execute(
            db.update(Post).where(Post.id == first_posts[topic_id]).values(date_created=created)
        )
    db.session.commit()
    latest = (
        db.select(Post.topic_id, db.func.max(Post.id).label("last_id"), db.func.count().label("count"))
        .group_by(Post.topic_id)
        .subquery()
    )
    for topic_id, last_id, count in db.session.execute(db.select(latest)).all():
        created = db.session.execute(db.select(Post.date_created).where(Post.id == last_id)).scalar_one()
        db.session.execute(
            db.update(Topic)
            .where(Topic.id == topic_id)
            .values(last_post_id=last_id, post_count=count, last_updated=created)
        )
    db.session.commit()
    for forum in db.session.execute(db.select(Forum)).scalars().unique().all():
        forum.recalculate(last_post=True)
    for user in db.session.execute(db.select(User)).scalars().unique().all():
        user.recalculate()
    db.session.commit()


def main(config_path: str, ids_path: str) -> None:
    os.environ["FLASKBB_WHOOSHEE_ENABLE_INDEXING"] = "False"  # read when the extension is set up
    app = create_app(config=config_path)
    with app.app_context():
        started = time.perf_counter()
        data = dataset.generate()
        Setting.update({"posts_per_page": 50, "topics_per_page": 25})
        people = seed_users(data)
        forums = seed_forums()
        topic_ids = seed_topics(data, people, forums)
        print(f"  topics saved ({time.perf_counter() - started:.0f} s)", flush=True)
        seed_replies(data, people, topic_ids)
        fix_dates_and_counters(data, topic_ids)
        print(f"  posts saved ({time.perf_counter() - started:.0f} s)", flush=True)
        whooshee.reindex()
        print(f"  whooshee.reindex() done ({time.perf_counter() - started:.0f} s)", flush=True)
        ids = {
            "topics": [topic_ids[topic.index] for topic in data.topics],
            "forums": {slug: forum.id for slug, forum in forums.items()},
        }
    Path(ids_path).write_text(json.dumps(ids))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
