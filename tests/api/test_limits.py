"""The API's limits: too many replies is a 429 problem that says when to try again, and a body
past the size limit is a 413 problem, whatever its type."""

from tests.factories import Make
from tests.support.ratelimits import limited_app


def test_too_many_replies_answer_429_with_retry_after(tmp_path, request):
    with limited_app(tmp_path, request, RATELIMIT_REPLY="2/minute") as app:
        make = Make(app)
        thread = make.thread()
        member = make.user()
        client = app.test_client()
        with app.test_request_context():
            from app.auth import access_tokens

            _token, secret = access_tokens.create_token(member, "Bot", ["read", "write"], 30)
            from app.extensions import db

            db.session.commit()
        headers = {"Authorization": f"Bearer {secret}"}
        for n in range(2):
            answer = client.post(
                f"/api/v1/threads/{thread.id}/posts",
                json={"body": f"Reply number {n} here."},
                headers=headers,
            )
            assert answer.status_code == 201
        refused = client.post(
            f"/api/v1/threads/{thread.id}/posts", json={"body": "One reply too many."}, headers=headers
        )
        assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
        assert int(refused.headers["Retry-After"]) > 0


def test_an_oversized_body_is_a_413_problem(app, make):
    thread = make.thread()
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    for content_type in ("application/json", "text/plain", "application/octet-stream"):
        answer = app.test_client().post(
            f"/api/v1/threads/{thread.id}/posts", data=big, content_type=content_type
        )
        assert answer.status_code == 413 and answer.mimetype == "application/problem+json", content_type
