"""Socket.IO handlers: permission-checked joins, sequenced events, replay, bad input, revocation."""

import pytest

from app.discussions import services
from app.discussions.models import Thread
from app.extensions import db
from app.realtime import handlers
from app.realtime import services as realtime_services
from tests.support.sockets import room_events


def join(sio, kind, object_id, since=None):
    return sio.emit("join", {"kind": kind, "id": object_id, "since": since}, callback=True)


def test_reader_receives_reply_with_next_sequence(client, auth, make, socket_for, app):
    thread = make.thread()
    reader_http = app.test_client()
    reader = socket_for(reader_http)
    ack = join(reader, "thread", thread.id)
    assert ack["ok"] and ack["room"] == f"thread:{thread.id}"
    start = ack["seq"]
    reader.get_received()
    auth.login(make.user("writer", display_name="Writer W"))
    client.post(f"/t/{thread.id}/reply", data={"body": "Live **hello**"})
    events = room_events(reader, f"thread:{thread.id}")
    assert [e["type"] for e in events] == ["post_created"]
    assert events[0]["seq"] == start + 1
    data = events[0]["data"]
    assert "html" not in data  # the page fetches the post's markup for its own reader
    assert data["author"] == "Writer W" and data["post_count"] == 2
    shown = reader_http.get(f"/t/{thread.id}/posts?ids={data['post_id']}").get_json()
    assert "<strong>hello</strong>" in shown["posts"][0]["html"]
    assert f'id="p{data["post_id"]}"' in shown["posts"][0]["html"]
    assert shown["post_count_label"] == "2 posts"


def test_community_room_gets_new_threads_and_activity(client, auth, make, socket_for, app):
    community = make.community("c3")
    watcher = socket_for(app.test_client())
    assert join(watcher, "community", community.id)["ok"]
    watcher.get_received()
    auth.login(make.user())
    client.post("/c/c3/new", data={"title": "Open access repositories", "body": "Where do we start?"})
    types = [e["type"] for e in room_events(watcher, f"community:{community.id}")]
    assert types == ["thread_created"]


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "thread", "id": 999999},
        {"kind": "thread", "id": 2**31},  # beyond a PostgreSQL integer: no row, and no failed query
        {"kind": "community", "id": 2**70},
        {"kind": "thread", "id": -1},
        {"kind": "thread", "id": "1"},
        {"kind": "thread", "id": True},
        {"kind": "galaxy", "id": 1},
        {"kind": "user", "id": 1},
        {},
    ],
)
def test_join_refuses_unknown_or_unreadable_rooms(app, socket_for, payload):
    sio = socket_for(app.test_client())
    ack = sio.emit("join", payload, callback=True)
    assert ack == {"ok": False, "error": "not_found"}


def test_join_refuses_thread_of_restricted_community(app, make, socket_for, auth, client):
    closed = make.restricted_community()
    thread = make.thread(closed.slug)
    auth.login(make.user())
    assert join(socket_for(client), "thread", thread.id) == {"ok": False, "error": "not_found"}
    insider = make.user()
    make.member_of(closed, insider)
    other = app.test_client()
    from tests.support.clients import AuthActions

    AuthActions(other).login(insider)
    assert join(socket_for(other), "thread", thread.id)["ok"]


def test_non_dict_payload_and_unknown_event_get_error_acks(app, socket_for):
    sio = socket_for(app.test_client())
    assert sio.emit("join", "thread:1", callback=True) == {"ok": False, "error": "bad_payload"}
    assert sio.emit("join", [1, 2], callback=True) == {"ok": False, "error": "bad_payload"}
    assert sio.emit("fly_to_the_moon", {"x": 1}, callback=True) == {"ok": False, "error": "unknown_event"}
    assert sio.emit("replay", {"kind": "thread", "id": 1, "since": 0}, callback=True)["error"] == "not_joined"
    assert sio.is_connected()


def test_replay_after_disconnect_returns_missed_events_in_order(app, make, socket_for):
    thread = make.thread()
    first = socket_for(app.test_client())
    seen = join(first, "thread", thread.id)["seq"]
    first.disconnect()
    for number in range(5):
        make.reply(thread, body=f"missed reply {number}")
    again_http = app.test_client()
    again = socket_for(again_http)
    ack = join(again, "thread", thread.id, since=seen)
    assert [e["seq"] for e in ack["events"]] == list(range(seen + 1, seen + 6))
    assert [e["type"] for e in ack["events"]] == ["post_created"] * 5
    ids = ",".join(str(e["data"]["post_id"]) for e in ack["events"])
    shown = again_http.get(f"/t/{thread.id}/posts?ids={ids}").get_json()["posts"]
    assert all(f"missed reply {n}" in shown[n]["html"] for n in range(5))
    assert ack["seq"] == seen + 5


def test_gap_older_than_history_tells_client_to_reload(app, make, socket_for, monkeypatch):
    app.config["ROOM_EVENT_HISTORY"] = 3
    monkeypatch.setattr(realtime_services, "PRUNE_EVERY", 1)
    thread = make.thread()
    for number in range(6):
        make.reply(thread, body=f"reply {number}")
    sio = socket_for(app.test_client())
    assert join(sio, "thread", thread.id, since=0)["reload"] is True
    recent = join(sio, "thread", thread.id, since=4)
    assert "reload" not in recent and [e["seq"] for e in recent["events"]] == [5, 6]


def test_rolled_back_reply_emits_and_stores_nothing(app, make, socket_for):
    thread = make.thread()
    sio = socket_for(app.test_client())
    before = join(sio, "thread", thread.id)["seq"]
    sio.get_received()
    with app.app_context():
        row = db.session.get(Thread, thread.id)
        services.reply(row, row.author, "never committed")
        db.session.rollback()
        assert realtime_services.current_seq(f"thread:{thread.id}") == before
    assert room_events(sio) == []


def test_room_limit_per_connection(app, make, socket_for, monkeypatch):
    monkeypatch.setattr(handlers, "MAX_ROOMS_PER_CONNECTION", 3)
    threads = [make.thread(title=f"Thread number {n}") for n in range(4)]
    sio = socket_for(app.test_client())
    acks = [join(sio, "thread", t.id) for t in threads]
    assert [a["ok"] for a in acks] == [True, True, True, False]
    assert acks[-1]["error"] == "too_many_rooms"


def test_event_flood_is_rate_limited_per_connection(app, make, socket_for, monkeypatch):
    monkeypatch.setattr(
        handlers, "EVENTS_PER_SECOND", 0.01
    )  # a slow, loaded machine refills no tokens meanwhile
    thread = make.thread()
    sio = socket_for(app.test_client())
    acks = [join(sio, "thread", thread.id) for _ in range(handlers.BURST + 5)]
    assert acks[0]["ok"] and {"ok": False, "error": "rate_limited"} in acks
    assert sio.is_connected()


def test_typing_and_presence(client, auth, make, socket_for, app):
    thread = make.thread()
    auth.login(make.user())
    writer = socket_for(client)
    join(writer, "thread", thread.id)
    anonymous = socket_for(app.test_client())
    join(anonymous, "thread", thread.id)
    anonymous.get_received()
    assert writer.emit("typing", {"id": thread.id}, callback=True) == {"ok": True}
    assert writer.emit("typing", {"id": thread.id}, callback=True)["error"] == "rate_limited"
    presence = [item["args"][0] for item in anonymous.get_received() if item["name"] == "presence"]
    assert presence[-1]["reading"] == 1 and presence[-1]["replying"] == 1  # anonymous readers are not shown
    writer.emit("typing", {"id": thread.id, "stopped": True}, callback=True)
    presence = [item["args"][0] for item in anonymous.get_received() if item["name"] == "presence"]
    assert presence[-1]["replying"] == 0


def test_presence_opt_out_hides_the_reader(client, auth, make, socket_for, app):
    thread = make.thread()
    auth.login(make.user(show_presence=False))
    join(socket_for(client), "thread", thread.id)
    watcher = socket_for(app.test_client())
    join(watcher, "thread", thread.id)
    presence = [item["args"][0] for item in watcher.get_received() if item["name"] == "presence"]
    assert presence[-1]["reading"] == 0


def test_logout_disconnects_the_users_sockets(client, auth, make, socket_for):
    auth.login(make.user())
    sio = socket_for(client)
    assert sio.is_connected()
    client.post("/auth/logout")
    assert not sio.is_connected()


def test_signed_in_user_receives_notifications_in_own_room_only(client, auth, make, socket_for, app):
    author = make.user("author")
    thread = make.thread(author=author)
    from tests.support.clients import AuthActions

    author_http = app.test_client()
    AuthActions(author_http).login(author)
    author_socket = socket_for(author_http)
    bystander = socket_for(app.test_client())
    auth.login(make.user("replier"))
    client.post(f"/t/{thread.id}/reply", data={"body": "A reply for the author"})
    notes = [e for e in room_events(author_socket) if e["type"] == "notification"]
    assert len(notes) == 1 and notes[0]["data"]["kind"] == "reply" and notes[0]["data"]["unread"] == 1
    assert [e for e in room_events(bystander) if e["type"] == "notification"] == []


def test_edit_and_delete_reach_readers_in_order(client, auth, make, socket_for, app):
    author = make.user()
    thread = make.thread()
    post = make.reply(thread, author=author, body="first words")
    reader = socket_for(app.test_client())
    start = join(reader, "thread", thread.id)["seq"]
    reader.get_received()
    auth.login(author)
    client.post(f"/p/{post.id}/edit", data={"body": "second *words*"})
    client.post(f"/p/{post.id}/delete")
    events = room_events(reader, f"thread:{thread.id}")
    assert [(e["type"], e["seq"]) for e in events] == [
        ("post_edited", start + 1),
        ("post_removed", start + 2),
    ]
    assert events[0]["data"] == {"post_id": post.id, "edited_at": events[0]["data"]["edited_at"]}
    assert events[1]["data"] == {"post_id": post.id, "reason": "deleted"}


def test_thread_state_changes_reach_thread_and_community_rooms(app, make, socket_for):
    thread = make.thread()
    reader = socket_for(app.test_client())
    join(reader, "thread", thread.id)
    join(reader, "community", make.community().id)
    reader.get_received()
    make.locked(thread)
    events = room_events(reader)
    assert {e["room"] for e in events} == {f"thread:{thread.id}", f"community:{thread.community_id}"}
    assert all(e["type"] == "thread_changed" and e["data"]["locked"] is True for e in events)
