"""Socket limits that hold across reconnects and processes; a stale `since`; a page closing mid-join."""

import logging
import uuid

import pytest
from flask import Flask

from app.core.ratelimits import parse_networks
from app.realtime import presence, ratelimit, rooms
from app.realtime.services import current_seq
from tests.realtime.test_handlers import join
from tests.scaleout.services import REDIS_URL, require_redis
from tests.support.clients import AuthActions


@pytest.fixture
def limited(app):
    """Abuse limits on (the test config turns them off), with the shipped socket limits."""
    app.config["RATELIMIT_ENABLED"] = True
    return app


def joins_over_reconnects(app, socket_for, http_client, thread_id, reconnects=30, per_connection=25):
    """The review's flood: many joins on each connection, then a fresh connection, again and again."""
    acks = []
    for _ in range(reconnects):
        sio = socket_for(http_client)
        acks += [join(sio, "thread", thread_id) for _ in range(per_connection)]
        sio.disconnect()
    return acks


def test_reconnecting_does_not_reset_a_users_event_limit(limited, make, socket_for):
    app = limited
    thread = make.thread()
    flooder = app.test_client()
    AuthActions(flooder).login(make.user())
    acks = joins_over_reconnects(app, socket_for, flooder, thread.id)
    allowed = [ack for ack in acks if ack.get("ok")]
    assert len(allowed) == 120  # RATELIMIT_SOCKET_EVENTS: 120/minute per user, whatever the connection
    assert len(acks) - len(allowed) == 630 and {"ok": False, "error": "rate_limited"} in acks
    bystander = app.test_client()
    AuthActions(bystander).login(make.user())
    assert join(socket_for(bystander), "thread", thread.id)["ok"]  # another person keeps their own budget


def test_reconnecting_anonymous_clients_are_limited_per_address(limited, make, socket_for):
    app = limited
    app.config["RATELIMIT_SOCKET_EVENTS_ANONYMOUS"] = "50/minute"
    thread = make.thread()
    acks = joins_over_reconnects(
        app, socket_for, app.test_client(), thread.id, reconnects=4, per_connection=20
    )
    assert len([ack for ack in acks if ack.get("ok")]) == 50
    fresh_cookies = app.test_client()  # dropping cookies does not help: same address
    assert join(socket_for(fresh_cookies), "thread", thread.id) == {"ok": False, "error": "rate_limited"}


def test_anonymous_readers_behind_a_trusted_network_are_not_limited_per_address(limited, make, socket_for):
    """A meeting room's NAT listed in RATELIMIT_TRUSTED_NETWORKS: its anonymous readers share no budget."""
    app = limited
    app.config["RATELIMIT_SOCKET_EVENTS_ANONYMOUS"] = "50/minute"
    app.extensions["ratelimit_trusted_networks"] = parse_networks("127.0.0.0/8")
    thread = make.thread()
    acks = joins_over_reconnects(
        app, socket_for, app.test_client(), thread.id, reconnects=4, per_connection=20
    )
    assert all(ack["ok"] for ack in acks)


def test_limits_are_off_with_the_other_abuse_limits(app, make, socket_for):
    thread = make.thread()
    acks = joins_over_reconnects(
        app, socket_for, app.test_client(), thread.id, reconnects=30, per_connection=25
    )
    assert all(ack["ok"] for ack in acks)  # RATELIMIT_ENABLED off (tests, live servers): per connection only


def test_two_processes_share_one_budget_through_redis(app):
    """Two processes (two apps, each its own limiter and connection) on the embedded memory setting for
    HTTP limits but a Redis message queue count one person's events together."""
    require_redis()
    channel = f"majlis-test-{uuid.uuid4().hex}"
    processes = []
    for _ in range(2):
        process = Flask(__name__)
        process.config.update(
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI="memory://",
            SOCKETIO_MESSAGE_QUEUE=REDIS_URL,
            SOCKETIO_CHANNEL=channel,
            RATELIMIT_SOCKET_EVENTS="10/minute",
        )
        processes.append(process)

    class Person:
        is_authenticated = True
        id = 1

    try:
        answers = []
        for number in range(14):
            with processes[number % 2].app_context():
                answers.append(ratelimit.allow(Person(), "127.0.0.1"))
        assert answers == [True] * 10 + [False] * 4
    finally:
        storage = ratelimit._limiter(processes[0]).storage
        keys = list(storage.get_connection().scan_iter(match=f"*{channel}*"))
        if keys:
            storage.get_connection().delete(*keys)


def test_since_beyond_the_rooms_sequence_is_a_gap(app, make, socket_for):
    """A page from before a restore or from another site remembers a sequence the room never reached."""
    thread = make.thread()
    make.reply(thread, body="one reply")
    with app.app_context():
        seq = current_seq(rooms.thread(thread.id))
    sio = socket_for(app.test_client())
    ack = join(sio, "thread", thread.id, since=seq + 40)
    assert ack["reload"] is True and ack["seq"] == seq and ack["events"] == []
    assert "reload" not in join(sio, "thread", thread.id, since=seq)


@pytest.mark.parametrize("closes_during", ["permission check", "room join"])
def test_page_closing_mid_join_is_a_normal_disconnect(
    app, make, socket_for, monkeypatch, caplog, closes_during
):
    import flask_socketio

    thread = make.thread()
    reader = app.test_client()
    AuthActions(reader).login(make.user(show_presence=True))
    sio = socket_for(reader)
    target = (
        (rooms, "authorised_room") if closes_during == "permission check" else (flask_socketio, "join_room")
    )
    step = getattr(*target)

    def step_then_close(*args, **kwargs):  # the page closes while the server is busy with the join
        answer = step(*args, **kwargs)
        sio.disconnect()
        return answer

    monkeypatch.setattr(*target, step_then_close)
    caplog.set_level(logging.INFO, logger="app.realtime.handlers")
    ack = sio.emit("join", {"kind": "thread", "id": thread.id}, callback=True)
    assert ack == {"ok": False, "error": "disconnected"}
    logged = [r for r in caplog.records if r.name == "app.realtime.handlers"]
    assert [r.levelno for r in logged] == [logging.INFO] and "disconnected during on_join" in logged[
        0
    ].getMessage()
    assert all(r.exc_info is None for r in caplog.records)
    assert presence.store().counts(rooms.thread(thread.id))["reading"] == 0  # no ghost reader left behind
