"""Webhooks against a real receiver process on 127.0.0.1: signed deliveries after the commit,
nothing for a rollback, every event once and in order per object after the receiver was down,
endpoints disabled after repeated failures (administrators told), redelivery by hand, private
addresses refused, and only what a visitor may read in a payload."""

import hashlib
import hmac
import json
import time
from pathlib import Path

import pytest

from app.core.time import utcnow
from app.extensions import db
from app.jobs.models import Job
from app.notifications.models import Notification
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.support.clients import client_for
from tests.support.live import free_port
from tests.support.processes import webhook_receiver


def receiver(port: int, log: Path, status: Path | None = None):
    return webhook_receiver(log, status, port)


def received(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def verify(secret: str, request: dict, window: int = 300) -> dict:
    """What a receiver does: check the signature and the time, then read the body."""
    header = request["headers"]["X-Majlis-Signature"]
    parts = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(
        secret.encode(), f"{parts['t']}.{request['body']}".encode(), hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(expected, parts["v1"]), "bad signature"
    assert abs(time.time() - int(parts["t"])) <= window, "outside the replay window"
    return json.loads(request["body"])


def _register(app, make, port, events=("thread.created", "post.created", "post.edited", "post.hidden")):
    admin = make.admin()
    client = client_for(app, admin)
    answer = client.post(
        "/admin/webhooks", data={"url": f"http://127.0.0.1:{port}/hook", "events": list(events)}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    with app.app_context():
        endpoint = db.session.execute(db.select(WebhookEndpoint)).scalar_one()
        return endpoint.id, endpoint.secret, client


def _run_jobs(app, rounds=30):
    """Run what is due until nothing is left, pulling waits for retries forward."""
    runner = app.extensions["majlis_jobs"]
    for _ in range(rounds):
        with app.app_context():
            db.session.execute(db.update(Job).where(Job.failed_at.is_(None)).values(run_at=utcnow()))
            db.session.commit()
            left = db.session.execute(
                db.select(db.func.count(Job.id)).where(Job.failed_at.is_(None))
            ).scalar()
        if not left:
            return
        runner.run_due()


def test_deliveries_are_signed_sent_after_commit_and_describe_what_a_visitor_sees(app, make, tmp_path):
    port, log = free_port(), tmp_path / "received.jsonl"
    with receiver(port, log):
        _endpoint_id, secret, _client = _register(app, make, port)
        thread = make.thread(title="Broadband for rural clinics")
        reply = make.reply(thread, body="Satellite links are the fastest route.")
        make.hidden(reply)
        room = make.restricted_community()
        make.thread(room, title="Behind closed doors")
        requests = received(log)
        bodies = [verify(secret, request) for request in requests]
        assert [body["event"] for body in bodies] == ["thread.created", "post.created", "post.hidden"]
        assert bodies[0]["data"]["title"] == "Broadband for rural clinics"
        # the reply was hidden before its first delivery went out (inline jobs run at each commit,
        # so here it went out first): its hidden event carries no text
        assert bodies[2]["data"]["removed"] is True and bodies[2]["data"]["body"] is None
        assert all("Behind closed doors" not in request["body"] for request in requests)


def test_nothing_is_sent_for_a_rollback(app, make, tmp_path):
    port, log = free_port(), tmp_path / "received.jsonl"
    with receiver(port, log):
        _register(app, make, port)
        with app.app_context(), app.test_request_context():
            from app.auth.models import User
            from app.communities.models import Community
            from app.discussions import services

            community = db.session.execute(db.select(Community).filter_by(slug="c7-e-health")).scalar_one()
            author = db.session.execute(db.select(User).filter_by(is_admin=True)).scalars().first()
            services.start_thread(community, author, "A thread never committed", "Its opening post.")
            db.session.rollback()
        make.thread(title="A thread that was committed")
        titles = [json.loads(request["body"])["data"]["title"] for request in received(log)]
        assert titles == ["A thread that was committed"]


def test_a_receiver_down_for_a_while_gets_every_event_once_in_order(app, make, tmp_path):
    app.extensions["majlis_jobs"].mode = "worker"
    port, log = free_port(), tmp_path / "received.jsonl"
    endpoint_id, secret, _client = _register(app, make, port)
    thread = make.thread(title="Community networks")
    posts = [make.reply(thread, body=f"Reply number {n} on community networks.") for n in range(3)]
    with app.app_context(), app.test_request_context():
        from app.discussions import services

        post = db.session.get(type(posts[0]), posts[0].id)
        services.edit_post(post, post.author, "Reply number 0, corrected.")
        db.session.commit()
    _run_jobs(app, rounds=2)  # nobody listens: the attempts fail and wait
    with app.app_context():
        failed = (
            db.session.execute(db.select(WebhookDelivery).where(WebhookDelivery.attempts > 0)).scalars().all()
        )
        assert failed and all(delivery.status == "pending" and delivery.last_error for delivery in failed)
    with receiver(port, log):
        _run_jobs(app)
    bodies = [verify(secret, request) for request in received(log)]
    ids = [body["id"] for body in bodies]
    assert len(ids) == len(set(ids)) == 5  # thread, three replies, one edit: each once
    first_reply = [body["event"] for body in bodies if body["object"]["id"] == posts[0].id]
    assert first_reply == ["post.created", "post.edited"]
    with app.app_context():
        assert all(d.status == "sent" for d in db.session.execute(db.select(WebhookDelivery)).scalars())
        assert db.session.get(WebhookEndpoint, endpoint_id).failures == 0


def test_an_endpoint_failing_again_and_again_is_disabled_and_administrators_told(app, make, tmp_path):
    app.config["WEBHOOK_DISABLE_AFTER"] = 3
    app.extensions["majlis_jobs"].mode = "worker"
    port, log, status = free_port(), tmp_path / "received.jsonl", tmp_path / "status"
    status.write_text("500")
    with receiver(port, log, status):
        endpoint_id, _secret, admin_client = _register(app, make, port)
        make.thread(title="Fibre to the schools")
        _run_jobs(app, rounds=5)
        with app.app_context():
            endpoint = db.session.get(WebhookEndpoint, endpoint_id)
            assert endpoint.disabled_at is not None and endpoint.failures == 3
            assert (
                db.session.execute(db.select(Notification).filter_by(kind="webhook_disabled"))
                .scalars()
                .first()
            )
        page = admin_client.get(f"/admin/webhooks/{endpoint_id}").get_data(as_text=True)
        assert "Disabled on" in page and "500" in page
        status.write_text("200")
        assert admin_client.post(f"/admin/webhooks/{endpoint_id}/enable").status_code == 302
        _run_jobs(app)
        assert [entry["status"] for entry in received(log)][-1] == 200
        with app.app_context():
            delivery = db.session.execute(db.select(WebhookDelivery)).scalars().first()
            assert delivery.status == "sent"
        again = admin_client.post(f"/admin/webhooks/{endpoint_id}/deliveries/{delivery.id}/redeliver")
        assert again.status_code == 302
        _run_jobs(app)
        assert [json.loads(entry["body"])["id"] for entry in received(log)].count(delivery.id) >= 2


def test_private_addresses_are_refused_and_only_administrators_manage(app, make):
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    admin = make.admin()
    client = client_for(app, admin)
    for address in (
        "http://127.0.0.1:8080/hook",
        "http://10.1.2.3/hook",
        "http://[::1]/hook",
        "ftp://example.org/",
    ):
        answer = client.post("/admin/webhooks", data={"url": address, "events": ["post.created"]})
        assert answer.status_code == 400, address
        assert f'value="{address}"' in answer.get_data(as_text=True)
    member = client_for(app, make.user())
    assert member.get("/admin/webhooks").status_code == 404
    assert (
        member.post(
            "/admin/webhooks", data={"url": "http://example.org/", "events": ["post.created"]}
        ).status_code
        == 404
    )


def test_administrators_find_the_webhooks_from_their_settings(app, make):
    settings = client_for(app, make.admin()).get("/settings").get_data(as_text=True)
    assert 'href="/admin/webhooks"' in settings
    member_settings = client_for(app, make.user()).get("/settings").get_data(as_text=True)
    assert 'href="/admin/webhooks"' not in member_settings


@pytest.fixture(autouse=True)
def _inline_again(app):
    yield
    app.extensions["majlis_jobs"].mode = "inline"
