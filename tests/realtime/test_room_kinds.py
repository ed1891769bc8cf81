"""Rooms are joined through the kinds domains register; realtime itself knows no model."""

import ast
from pathlib import Path

import pytest

from app.realtime import access, rooms
from tests.conftest import AuthActions
from tests.realtime.test_handlers import join

DOMAINS = ("app.auth", "app.communities", "app.discussions", "app.moderation", "app.consultation")


class Desk:
    """A stand-in object of a kind no domain has: readable while `open`."""

    def __init__(self, open_=True):
        self.open = open_


@pytest.fixture
def desks(monkeypatch):
    """Register a "desk" kind for the test: desk 7 exists, and its readers are signed-in people while open."""
    desk = Desk()
    calls = []

    def can_join(target, user):
        calls.append((target, user.is_authenticated))
        return target.open and user.is_authenticated

    monkeypatch.setitem(rooms._kinds, "desk", rooms.RoomKind(lambda i: desk if i == 7 else None, can_join))
    return desk, calls


def _signed_in_socket(app, socket_for, user):
    http = app.test_client()
    AuthActions(http).login(user)
    return socket_for(http)


def test_domains_register_the_thread_and_community_kinds(app):
    assert {"thread", "community"} <= set(rooms.registered_kinds())
    assert rooms.counts_presence("thread:1") and not rooms.counts_presence("community:1")


@pytest.mark.parametrize("kind", ["meeting", "", None, ["thread"], "thread:1"])
def test_a_kind_nobody_registered_is_refused(app, make, socket_for, kind):
    sio = _signed_in_socket(app, socket_for, make.user())
    assert join(sio, kind, 1) == {"ok": False, "error": "not_found"}


def test_realtime_keeps_the_user_room_to_itself():
    with pytest.raises(ValueError):
        rooms.register_kind("user", lambda i: None, lambda target, user: True)


def test_a_registered_kind_decides_with_its_own_can_join(app, make, socket_for, desks):
    desk, calls = desks
    anonymous = socket_for(app.test_client())
    member = _signed_in_socket(app, socket_for, make.user())
    assert join(anonymous, "desk", 7) == {"ok": False, "error": "not_found"}
    assert join(member, "desk", 7)["room"] == "desk:7"
    assert join(member, "desk", 8) == {"ok": False, "error": "not_found"}  # load found nothing
    assert calls == [(desk, False), (desk, True)]


def test_the_recheck_asks_the_kinds_can_join(app, make, socket_for, desks):
    desk, _calls = desks
    person = make.user()
    member = _signed_in_socket(app, socket_for, person)
    assert join(member, "desk", 7)["ok"]
    member.get_received()
    desk.open = False
    with app.app_context():
        assert access.recheck_local({"user_ids": [person.id]}) == 1
    assert [item["args"][0] for item in member.get_received() if item["name"] == "access_ended"] == [
        {"room": "desk:7"}
    ]


def test_realtime_imports_no_domain():
    for path in (Path(__file__).parents[2] / "app" / "realtime").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not [n for n in names if n.startswith(DOMAINS)], path
