"""Edits, removals and restorations reach an open page the way creations do: the page fetches the
post as the server renders it for that reader and swaps the node; live.js builds no markup. A page
with no live feed opens no socket."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_live_controls import watching
from tests.support.http import Visitor

pytestmark = pytest.mark.browser


def _post(visitor, path, data):
    response = visitor.http.post(
        visitor.base + path,
        data={"csrf_token": visitor.token("/"), **data},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]


def _moderate(moderator, post_id, change):
    _post(moderator, f"/moderation/p/{post_id}/{change}", {"hide-reason": "Off topic"})


# What a post shows, but its relative time ("2 seconds ago" ages between two renderings).
SHOWN = "el => Array.from(el.querySelectorAll('.post-header > :not(.when), :scope > :not(.post-header)'))"
SHOWN += ".map(node => node.className + ': ' + node.innerText.trim())"


def _as_reload_shows(page, server, thread_id, post_id):
    """The post as a reload shows it to this reader (a new page in the same browser context)."""
    fresh = page.context.new_page()
    fresh.goto(f"{server.url}/t/{thread_id}")
    shown = fresh.eval_on_selector(f"#p{post_id}", SHOWN)
    fresh.close()
    return shown


def _shows_as_reload(page, server, thread_id, post_id, expected_text):
    """Wait until the live page shows `expected_text` in the post, then compare it with a reload."""
    expect(page.locator(f"#p{post_id}")).to_contain_text(expected_text, timeout=10000)
    page.wait_for_timeout(300)  # the swap's "fresh" class is part of the node, not of what it shows
    assert page.eval_on_selector(f"#p{post_id}", SHOWN) == _as_reload_shows(page, server, thread_id, post_id)


def test_edits_and_removals_swap_in_the_servers_rendering(server, browser):
    author = Visitor(server.url).register("author_a", display_name="Author")
    reader = Visitor(server.url).register("reader_b", display_name="Reader")
    moderator = Visitor(server.url).register("facilitator", display_name="Facilitator")
    server.flask(
        "create-admin", "facilitator", "facilitator@example.org", "--password", "a long enough password"
    )
    thread_id = author.new_thread("c7-e-health", "Swapped live", "Which posts change under us?")
    leaf = author.reply(thread_id, "A first answer, soon edited")

    page = watching(browser, server, f"/t/{thread_id}", reader)
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if "/posts?" in request.url else None)
    branch = f"li.node[data-post-id='{leaf}'] > details.branch"
    assert page.eval_on_selector(branch, "el => { el.dataset.mark = 'rendered'; return el.hidden; }") is True

    answer = author.reply(thread_id, "An answer to the leaf", parent_id=leaf)  # the leaf's branch opens
    page.wait_for_selector(f"{branch}[data-mark='rendered']:not([hidden]) #p{answer}", timeout=10000)
    assert page.inner_text(f"{branch} > summary") == "1 reply"

    _post(author, f"/p/{leaf}/edit", {"body": "A first answer, now edited", "reason": ""})
    _shows_as_reload(page, server, thread_id, leaf, "now edited")

    _moderate(moderator, leaf, "hide")
    _shows_as_reload(page, server, thread_id, leaf, "hidden by a moderator")
    assert "now edited" not in page.inner_text(f"#p{leaf}")
    assert "An answer to the leaf" in page.inner_text(f"#p{answer}")

    _moderate(moderator, leaf, "restore")
    _shows_as_reload(page, server, thread_id, leaf, "now edited")
    assert sum(f"ids={leaf}" in url for url in fetched) >= 3  # edit, hide, restore: each fetched
    assert page.errors == []


def test_a_removal_whose_rendering_fails_takes_the_text_down_and_invents_nothing(server, browser):
    author = Visitor(server.url).register("author_a")
    moderator = Visitor(server.url).register("facilitator")
    server.flask(
        "create-admin", "facilitator", "facilitator@example.org", "--password", "a long enough password"
    )
    thread_id = author.new_thread("c7-e-health", "Offline fetch", "What if the fetch fails?")
    post_id = author.reply(thread_id, "Text that must go")
    page = watching(browser, server, f"/t/{thread_id}")
    page.route("**/posts?*", lambda route: route.abort())

    _moderate(moderator, post_id, "hide")
    expect(page.locator(f"#p{post_id}")).not_to_contain_text("must go", timeout=10000)
    assert page.locator(f"#p{post_id} .placeholder").count() == 0  # the page builds no markup
    assert page.is_visible("#stale-notice")  # the page says it is out of date
    assert page.inner_text("#stale-notice") == "Part of this page changed. Reload it to see the latest."
    assert not page.is_visible("#elsewhere-notice")  # no replies on other pages were announced


def test_only_pages_with_a_live_feed_open_a_socket(server, browser):
    author = Visitor(server.url).register("author_a")
    thread_id = author.new_thread("c7-e-health", "Sockets", "Who connects?")
    context = browser.new_context()
    page = context.new_page()
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    for path in ("/", "/search?q=sockets", "/auth/login"):
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.io === 'undefined' && window.majlisLive === undefined"), path
    assert sockets == []
    page.goto(f"{server.url}/t/{thread_id}")
    page.wait_for_selector("#live-status[data-state='live']")
    assert sockets and page.evaluate("window.majlisLive !== undefined")
