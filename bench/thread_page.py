"""Thread page benchmark: a 10,000-post thread (realistic mix of depths), first and last page, tree and flat.

Prints median and p95 render times in-process, next to a trivial page (the sign-in form) measured in
the same run; the ratio is the figure to compare across machines. Pages are rendered every time (the
visitors' page cache is off: it would serve them whole), for a visitor and for a signed-in member,
whose pages carry their own controls, reading state, bookmarks and reactions.

    .venv/bin/python bench/thread_page.py [--posts 10000] [--repeat 30]
"""

import argparse
import random
import tempfile
import time
from pathlib import Path

from _common import summary_ms

from app import create_app
from app.auth.models import User
from app.communities.models import Community
from app.communities.seed import seed_communities
from app.core.time import utcnow
from app.discussions.models import Post, Thread, path_segment
from app.extensions import db
from config import TestConfig

WORDS = (
    "information society consultation broadband access rural clinics e-health data standards capacity "
    "building policy multistakeholder regional cooperation languages content youth connectivity"
).split()


def seed_thread(posts: int, rng: random.Random) -> int:
    """Insert a thread of `posts` posts in bulk; about a third answer the opening post, the rest go deeper."""
    community = db.session.execute(db.select(Community).filter_by(slug="c7-e-health")).scalar_one()
    authors = [
        User(username=f"bench{n}", email=f"bench{n}@example.org", password_hash="x") for n in range(50)
    ]
    db.session.add_all(authors)
    db.session.flush()
    thread = Thread(
        community=community, author=authors[0], title="A very long consultation thread", post_count=posts
    )
    db.session.add(thread)
    db.session.flush()
    rows, paths, depths = [], {}, {}
    now = utcnow()
    for number in range(1, posts + 1):
        post_id = number  # fresh database: ids are 1..posts
        if number == 1:
            parent = None
        elif rng.random() < 0.35:
            parent = 1
        else:
            parent = rng.randint(max(1, number - 200), number - 1)
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 80)))
        paths[post_id] = (paths[parent] + "." if parent else "") + path_segment(post_id)
        depths[post_id] = depths[parent] + 1 if parent else 0
        rows.append(
            {
                "id": post_id,
                "thread_id": thread.id,
                "parent_id": parent,
                "author_id": authors[number % 50].id,
                "tree_path": paths[post_id],
                "depth": depths[post_id],
                "body_source": text,
                "render_version": 1,
                "created_at": now,
            }
        )
    db.session.execute(db.insert(Post), rows)
    db.session.commit()
    return thread.id, max(depths.values())


def signed_in_member(app):
    """A test client signed in as a member who has read the thread's first posts."""
    with app.app_context():
        reader = User(username="reader", email="reader@example.org", password_hash="x")
        db.session.add(reader)
        db.session.commit()
        session_id = reader.get_id()  # "id:version", as the sign-in form keeps it
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
    answer = client.post("/t/1/read", data={"ids": ",".join(str(post_id) for post_id in range(1, 40))})
    assert answer.status_code == 200, "the member is not signed in"
    return client


def measure(client, url, repeat):
    client.get(url)  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = TestConfig(Path(tmp))
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/bench.db"
        config.PAGE_CACHE_BYTES = 0  # measure rendering, not the visitors' page cache
        app = create_app(config)
        with app.app_context():
            db.create_all()
            seed_communities()
            db.session.commit()
            started = time.perf_counter()
            thread_id, max_depth = seed_thread(args.posts, random.Random(42))
            seeded = time.perf_counter() - started
        client, member = app.test_client(), signed_in_member(app)
        pages = -(-args.posts // app.config["POSTS_PER_PAGE"])
        print(
            f"thread of {args.posts} posts (max depth {max_depth}), seeded in {seeded:.1f}s; {pages} pages of {app.config['POSTS_PER_PAGE']}"
        )
        baseline = summary_ms(measure(client, "/auth/login", args.repeat))
        print(f"{'page':<28}{'median ms':>10}{'p95 ms':>10}{'× baseline':>12}")
        print(f"{'baseline: sign-in form':<28}{baseline[0]:>10.1f}{baseline[1]:>10.1f}{1.0:>12.1f}")
        for who, reader in (("visitor", client), ("member", member)):
            for view in ("tree", "flat"):
                for label, page in (("first", 1), ("last", pages)):
                    median, p95, _ = summary_ms(
                        measure(reader, f"/t/{thread_id}?view={view}&page={page}", args.repeat)
                    )
                    name = f"{who}: {view} {label}"
                    print(f"{name:<28}{median:>10.1f}{p95:>10.1f}{median / baseline[0]:>12.1f}")


if __name__ == "__main__":
    main()
