"""Mail benchmark: digests for many members after a week of activity, and the outbox sender.

1. Digests: MEMBERS members (default 10,000), each following the community and a few threads, after
   a week of new threads and replies. Prints digests/s, the SQL statements per member and the
   process's peak memory; then the same with ten times the activity, to show that the statements
   per member do not grow with it (each digest section is one bounded query).
2. Sender: the queued messages delivered by the job runner to a real SMTP server process on
   127.0.0.1 (tests/support/smtp_sink.py), one connection per runner kept open: messages/s.

    .venv/bin/python bench/mail.py [--members 10000] [--send 2000]
"""

import argparse
import random
import resource
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from _common import seeded_app
from sqlalchemy import event

from app import create_app
from app.auth.models import User
from app.communities.models import Community, CommunityFollow
from app.core.time import utcnow
from app.discussions.models import Post, Thread, ThreadFollow, path_segment
from app.extensions import db
from app.mail.models import MailMessage
from app.notifications import digests
from config import TestConfig
from tests.support.mail import SmtpSink

THREADS_FOLLOWED = 5


def make_app(directory: Path, **settings):
    """Nothing is sent while digests are written (JOBS_RUNNER=worker); digests are due at any hour."""
    return seeded_app(directory, JOBS_RUNNER="worker", DIGEST_HOUR=0, **settings)


def seed(members: int, threads: int, replies_per_thread: int, rng: random.Random) -> None:
    """Members who follow C7 and a few threads; a week of threads and replies by a few writers."""
    community = db.session.execute(db.select(Community).filter_by(slug="c7-e-health")).scalar_one()
    now = utcnow()
    users = [
        {"id": n, "username": f"member{n}", "email": f"member{n}@example.org", "password_hash": "x",
         "email_confirmed_at": now, "created_at": now - timedelta(days=30), "locale": "ar" if n % 5 == 0 else "en"}
        for n in range(1, members + 1)
    ]  # fmt: skip
    db.session.execute(db.insert(User), users)
    db.session.execute(
        db.insert(CommunityFollow), [{"community_id": community.id, "user_id": u["id"]} for u in users]
    )
    thread_rows, post_rows, post_id = [], [], 0
    for number in range(1, threads + 1):
        created = now - timedelta(hours=rng.uniform(1, 24 * 7))
        thread_rows.append({"id": number, "community_id": community.id, "author_id": 1 + number % min(20, members),
                            "title": f"Thread {number} on rural clinics", "created_at": created,
                            "last_activity_at": created, "post_count": replies_per_thread + 1})  # fmt: skip
        parent = None
        for reply in range(replies_per_thread + 1):
            post_id += 1
            path = (
                path_segment(post_id) if parent is None else f"{path_segment(parent)}.{path_segment(post_id)}"
            )
            post_rows.append({"id": post_id, "thread_id": number, "parent_id": parent, "author_id": 1 + (number + reply) % min(20, members),
                              "tree_path": path, "depth": 0 if parent is None else 1, "body_source": "We agree on broadband.",
                              "render_version": 1, "created_at": created + timedelta(minutes=reply)})  # fmt: skip
            parent = parent or post_id
    db.session.execute(db.insert(Thread), thread_rows)
    db.session.execute(db.insert(Post), post_rows)
    follows = {(rng.randint(1, threads), u["id"]) for u in users for _ in range(THREADS_FOLLOWED)}
    db.session.execute(db.insert(ThreadFollow), [{"thread_id": t, "user_id": u} for t, u in follows])
    db.session.commit()


def run_digests(app, members: int, threads: int, replies: int) -> dict:
    with app.app_context(), app.test_request_context("/"):
        seed(members, threads, replies, random.Random(7))
        statements = [0]
        event.listen(
            db.engine, "before_cursor_execute", lambda *args: statements.__setitem__(0, statements[0] + 1)
        )
        started = time.perf_counter()
        sent = digests.send_due_digests(utcnow() + timedelta(minutes=1))
        elapsed = time.perf_counter() - started
        return {"sent": sent, "seconds": elapsed, "per_member": statements[0] / members}


def run_sender(app, limit: int, directory: Path) -> dict:
    sink = SmtpSink(directory / "mailbox").start()
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
        runner = app.extensions["majlis_jobs"]
        started = time.perf_counter()
        sent = runner.run_due(limit=limit)
        elapsed = time.perf_counter() - started
        sink.wait_for(sent, timeout=60)
        return {"sent": sent, "seconds": elapsed}
    finally:
        sink.stop()


def fresh_dir(root: str, name: str) -> Path:
    path = Path(root, name)
    path.mkdir()
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--send", type=int, default=2_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        week_dir = fresh_dir(temporary, "week")
        week = run_digests(make_app(week_dir), options.members, threads=60, replies=10)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"digests: {options.members} members, a week of 60 threads x 10 replies")
        print(f"  {week['sent']} digests in {week['seconds']:.1f} s = {week['sent'] / week['seconds']:.0f} digests/s; "
              f"{week['per_member']:.1f} SQL statements per member; peak RSS {peak_mb:.0f} MB")  # fmt: skip
        members = max(1, options.members // 10)
        quiet = run_digests(make_app(fresh_dir(temporary, "quiet")), members, threads=60, replies=10)
        busy = run_digests(make_app(fresh_dir(temporary, "busy")), members, threads=600, replies=100)
        print(f"  statements per member ({members} members): {quiet['per_member']:.1f} after a week of 660 posts, "
              f"{busy['per_member']:.1f} after 60,600 (ratio {busy['per_member'] / quiet['per_member']:.2f})")  # fmt: skip
        sender_app = create_app(_config_for(week_dir))
        result = run_sender(sender_app, min(options.send, _queued(sender_app)), week_dir)
        print(f"sender: {result['sent']} messages to a local SMTP server in {result['seconds']:.1f} s = "
              f"{result['sent'] / result['seconds']:.0f} messages/s (one connection kept open)")  # fmt: skip


def _config_for(directory: Path):
    config = TestConfig(directory)
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{directory / 'bench.db'}"
    config.JOBS_RUNNER = "worker"
    return config


def _queued(app) -> int:
    with app.app_context():
        return db.session.execute(
            db.select(db.func.count(MailMessage.id)).where(MailMessage.status == "queued")
        ).scalar()


if __name__ == "__main__":
    main()
