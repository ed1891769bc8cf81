"""A page with no live feed opens no socket: the live script is loaded where a room would speak.

Feeds are a thread's room, a community's room and a signed-in person's own room (the header's bell,
on every page). An anonymous visitor on any other page gets neither the Socket.IO client nor live.js.
"""

from html.parser import HTMLParser

import pytest

LIVE_SCRIPTS = {"socket.io.min.js", "live.js"}


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src")
        if tag == "script" and src:
            self.sources.append(src.rsplit("/", 1)[-1])


def live_scripts(response) -> set[str]:
    assert response.status_code == 200
    parser = _Scripts()
    parser.feed(response.get_data(as_text=True))
    return LIVE_SCRIPTS & set(parser.sources)


@pytest.mark.parametrize("path", ["/", "/auth/login", "/auth/register", "/search?q=water"])
def test_an_anonymous_page_without_a_room_loads_no_socket(client, path):
    assert live_scripts(client.get(path)) == set()


def test_an_anonymous_profile_page_loads_no_socket(client, make):
    author = make.user()
    assert live_scripts(client.get(f"/u/{author.username}")) == set()


def test_thread_and_community_pages_connect_for_anyone(client, make):
    thread = make.thread()
    assert live_scripts(client.get(f"/t/{thread.id}")) == LIVE_SCRIPTS
    assert live_scripts(client.get("/c/c7-e-health")) == LIVE_SCRIPTS


@pytest.mark.parametrize("path", ["/", "/search?q=water"])
def test_a_signed_in_person_has_their_bell_on_every_page(client, auth, make, path):
    auth.login(make.user())
    assert live_scripts(client.get(path)) == LIVE_SCRIPTS
