"""Anonymous visitors get kept pages until anything on them may have changed: a reply, an edit or a
moderator's hide shows at once; every visitor gets a CSRF token of their own; members, messages
flashed into a page and other languages are never mixed up."""

import re

from app.core.page_cache import FileGeneration
from tests.support.clients import client_for, csrf_token_from


def _view(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.headers.get("X-Page-Cache"), response.get_data(as_text=True)


def test_a_second_anonymous_view_is_kept_and_a_reply_shows_at_once(app, make):
    thread = make.thread(title="Kept pages", body="The opening post.")
    visitor = client_for(app)
    assert _view(visitor, f"/t/{thread.id}")[0] == "miss"
    assert _view(client_for(app), f"/t/{thread.id}")[0] == "hit"
    make.reply(thread, body="A reply written after the page was kept.")
    state, page = _view(visitor, f"/t/{thread.id}")
    assert state == "miss" and "A reply written after the page was kept." in page


def test_what_a_moderator_hides_leaves_the_kept_pages_at_once(app, make):
    thread = make.thread(title="Moderated", body="Opening.")
    reply = make.reply(thread, body="Something that will be hidden.")
    assert "Something that will be hidden." in _view(client_for(app), f"/t/{thread.id}")[1]
    assert _view(client_for(app), f"/t/{thread.id}")[0] == "hit"
    make.hidden(reply)
    state, page = _view(client_for(app), f"/t/{thread.id}")
    assert state == "miss" and "Something that will be hidden." not in page


def test_each_visitor_gets_their_own_csrf_token_from_a_kept_page(csrf_app, make):
    make.thread(title="Tokens")
    first, second = client_for(csrf_app), client_for(csrf_app)
    first_page = first.get("/").get_data(as_text=True)
    hit = second.get("/")
    assert hit.headers["X-Page-Cache"] == "hit"
    token = csrf_token_from(hit.get_data(as_text=True))
    assert token != csrf_token_from(first_page)
    switched = second.post("/language", data={"language": "fr", "csrf_token": token, "next": "/"})
    assert switched.status_code == 302  # the token in the kept page is valid for this visitor


def test_members_languages_and_flashed_messages_are_never_served_from_the_cache(app, make):
    thread = make.thread(title="Members")
    make.user("amina")
    _view(client_for(app), f"/t/{thread.id}")
    member = client_for(app, make.user("omar"))
    state, page = _view(member, f"/t/{thread.id}")
    assert state is None and "omar" in page
    arabic = client_for(app)
    arabic.post("/language", data={"language": "ar", "next": "/"})
    state, page = _view(arabic, f"/t/{thread.id}")
    assert state == "miss" and 'dir="rtl"' in page
    assert re.search(r'<html lang="en"', _view(client_for(app), f"/t/{thread.id}")[1])


def test_the_generation_is_shared_by_processes_through_a_file(tmp_path):
    one, other = FileGeneration(tmp_path), FileGeneration(tmp_path)
    before = one.current()
    assert other.current() == before
    other.move_on()
    assert one.current() != before


def test_pages_of_a_past_generation_are_let_go_at_the_first_look_up_after_a_write(app, make):
    thread = make.thread(title="Memory")
    _view(client_for(app), f"/t/{thread.id}")
    _view(client_for(app), "/")
    pages = app.extensions["majlis_page_cache"].pages
    assert pages.size > 0 and len(pages._pages) == 2
    make.reply(thread, body="A write retires both pages.")
    _view(client_for(app), "/")
    assert len(pages._pages) == 1  # only the page rendered since
