"""A socket already in a room stops receiving it once its person may no longer read it."""

from app.communities import services as community_services
from app.communities.models import Community
from app.discussions.models import Thread
from app.extensions import db
from app.moderation import services as moderation
from app.realtime import presence, rooms
from tests.realtime.test_handlers import join
from tests.support.clients import AuthActions
from tests.support.sockets import room_events


def signed_in_socket(app, socket_for, user):
    http = app.test_client()
    AuthActions(http).login(user)
    return socket_for(http)


def ended(sio) -> list[str]:
    return [item["args"][0]["room"] for item in sio.get_received() if item["name"] == "access_ended"]


def lock(app, thread_id, actor):
    """A later event of the thread (moderators may still act on it)."""
    with app.app_context():
        moderation.lock_thread(db.session.get(Thread, thread_id), db.session.merge(actor), "later event")
        db.session.commit()


def test_hiding_a_thread_takes_its_readers_out_of_the_room(app, make, socket_for, client, auth):
    thread = make.thread()
    room = rooms.thread(thread.id)
    reader = signed_in_socket(app, socket_for, make.user(show_presence=True))
    anonymous = socket_for(app.test_client())
    moderator = make.moderator()
    watching_moderator = signed_in_socket(app, socket_for, moderator)
    for sio in (reader, anonymous, watching_moderator):
        assert join(sio, "thread", thread.id)["ok"]
        sio.get_received()
    auth.login(moderator)
    client.post(f"/moderation/t/{thread.id}/hide", data={"hide-reason": "Off topic"})
    assert ended(reader) == [room] and ended(anonymous) == [room] and ended(watching_moderator) == []
    lock(app, thread.id, moderator)
    assert room_events(reader) == [] and room_events(anonymous) == []
    assert [e["data"]["change"] for e in room_events(watching_moderator)] == [
        "lock"
    ]  # moderators still see it
    assert reader.is_connected() and anonymous.is_connected()
    assert presence.store().counts(room)["reading"] == 1  # the moderator only
    assert join(reader, "thread", thread.id) == {"ok": False, "error": "not_found"}


def test_moving_a_thread_into_a_restricted_community_takes_outsiders_out(app, make, socket_for):
    closed = make.restricted_community()
    thread = make.thread()
    room = rooms.thread(thread.id)
    outsider = signed_in_socket(app, socket_for, make.user())
    insider_user = make.user()
    make.member_of(closed, insider_user)
    insider = signed_in_socket(app, socket_for, insider_user)
    for sio in (outsider, insider):
        assert join(sio, "thread", thread.id)["ok"]
        sio.get_received()
    admin = make.admin()
    with app.app_context():
        row = db.session.get(Thread, thread.id)
        moderation.move_thread(
            row, db.session.merge(admin), db.session.get(Community, closed.id), "Members only"
        )
        db.session.commit()
    assert ended(outsider) == [room] and ended(insider) == []
    make.reply(thread, author=insider_user, body="Only for members now")
    assert room_events(outsider) == []
    assert [e["type"] for e in room_events(insider, room)] == ["post_created"]


def test_removing_a_member_takes_their_sockets_out_of_the_communitys_rooms(app, make, socket_for):
    closed = make.restricted_community()
    closed_thread = make.thread(closed.slug)
    open_thread = make.thread()
    member = make.user()
    make.member_of(closed, member)
    tabs = [signed_in_socket(app, socket_for, member) for _ in range(2)]  # two tabs, two connections
    for sio in tabs:
        assert join(sio, "thread", closed_thread.id)["ok"] and join(sio, "community", closed.id)["ok"]
        assert join(sio, "thread", open_thread.id)["ok"]
        sio.get_received()
    admin = make.admin()
    with app.app_context():
        community_services.remove_member(
            db.session.get(Community, closed.id), db.session.merge(member), db.session.merge(admin)
        )
        db.session.commit()
    for sio in tabs:
        assert sorted(ended(sio)) == sorted([rooms.community(closed.id), rooms.thread(closed_thread.id)])
    make.reply(closed_thread, body="After the removal")
    make.reply(open_thread, body="Still public")
    for sio in tabs:
        assert {e["room"] for e in room_events(sio)} == {rooms.thread(open_thread.id)}


def test_members_command_removes_access_and_live_updates(app, make, socket_for, runner):
    closed = make.restricted_community()
    thread = make.thread(closed.slug)
    member = make.user("tamar")
    assert runner.invoke(args=["members", "add", closed.slug, "tamar"]).exit_code == 0
    sio = signed_in_socket(app, socket_for, member)
    assert join(sio, "thread", thread.id)["ok"]
    sio.get_received()
    result = runner.invoke(args=["members", "remove", closed.slug, "tamar"])
    assert result.exit_code == 0 and "no longer a member" in result.output
    assert ended(sio) == [rooms.thread(thread.id)]
    make.reply(thread, body="After tamar left")
    assert room_events(sio) == []
    assert runner.invoke(args=["members", "remove", "no-such-room", "tamar"]).exit_code != 0
