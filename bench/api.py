"""The JSON API against the HTML pages, in one run: reading a thread's first 50 posts and writing a
reply, as a signed-in member (session cookie for HTML, a personal access token for the API).

Prints median and p95 per request in-process and the requests/s each would serve on one core,
with the API ÷ HTML ratio (above 1: the API is cheaper).

    .venv/bin/python bench/api.py [--posts 200] [--repeat 60]
"""

import argparse
import random
import tempfile
import time
from pathlib import Path

from _common import seeded_app, summary_ms
from thread_page import seed_thread

from app.auth import access_tokens
from app.auth.models import User
from app.extensions import db


def timed(call, repeat):
    call()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = call()
        times.append(time.perf_counter() - start)
        assert response.status_code in (200, 201, 302), response.status_code
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = seeded_app(Path(tmp), PAGE_CACHE_BYTES=0, DUPLICATE_POST_WINDOW_SECONDS=0)
        with app.app_context(), app.test_request_context():
            thread_id, _depth = seed_thread(args.posts, random.Random(7))
            member = User(
                username="reader", email="reader@example.org", password_hash="x", stakeholder_type="academia"
            )
            db.session.add(member)
            db.session.flush()
            _token, secret = access_tokens.create_token(member, "bench", ["read", "write"], 30)
            db.session.commit()
            session_id = member.get_id()
        html, api = app.test_client(), app.test_client()
        with html.session_transaction() as session:
            session["_user_id"] = session_id
        bearer = {"Authorization": f"Bearer {secret}"}
        replies = iter(range(10**9))
        cases = [
            ("read: thread, first 50 posts",
             lambda: html.get(f"/t/{thread_id}"),
             lambda: api.get(f"/api/v1/threads/{thread_id}/posts?limit=50", headers=bearer)),
            ("write: a reply",
             lambda: html.post(f"/t/{thread_id}", data={"body": f"An HTML reply number {next(replies)} here."}),
             lambda: api.post(f"/api/v1/threads/{thread_id}/posts", json={"body": f"An API reply number {next(replies)} here."}, headers=bearer)),
        ]  # fmt: skip
        print(f"thread of {args.posts} posts; {args.repeat} requests each, in-process (one core)")
        print(f"{'case':<32}{'HTML median':>12}{'p95':>8}{'API median':>12}{'p95':>8}{'API÷HTML req/s':>16}")
        for name, through_html, through_api in cases:
            h = summary_ms(timed(through_html, args.repeat))
            a = summary_ms(timed(through_api, args.repeat))
            print(f"{name:<32}{h[0]:>10.1f}ms{h[1]:>7.1f}{a[0]:>10.1f}ms{a[1]:>7.1f}{h[0] / a[0]:>16.2f}")
        print("(requests/s on one core = 1000 / median ms)")


if __name__ == "__main__":
    main()
