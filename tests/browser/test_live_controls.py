"""A post inserted live carries the controls a reload shows that reader (issue 13, item 10): Report,
Reply, Quote for a member, Edit and Delete for its author, none of them for an anonymous reader."""

import pytest

from tests.support.http import Visitor
from tests.support.live import screenshot_dir

pytestmark = pytest.mark.browser

CONTROLS = "els => els.map(el => (el.className || el.tagName.toLowerCase()) + ':' + el.textContent.trim())"


def watching(browser, server, path, visitor=None):
    """A page of `path` for `visitor` (anonymous when None), connected to its live rooms."""
    context = browser.new_context()
    if visitor is not None:
        context.add_cookies(
            [{"name": c.name, "value": c.value, "url": server.url} for c in visitor.http.cookies]
        )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(server.url + path)
    page.wait_for_selector("#live-status[data-state='live']")
    return page


def controls(page, post_id):
    return page.eval_on_selector_all(
        f"#p{post_id} .post-actions a, #p{post_id} .post-actions button", CONTROLS
    )


def test_live_post_has_the_controls_a_reload_shows_to_each_reader(server, browser):
    alice = Visitor(server.url).register("alice")
    bob = Visitor(server.url).register("bob")
    thread_id = alice.new_thread("c7-e-health", "Controls on live posts", "Who may do what with a reply?")
    readers = {
        "member": watching(browser, server, f"/t/{thread_id}", bob),
        "author": watching(browser, server, f"/t/{thread_id}", alice),
        "anonymous": watching(browser, server, f"/t/{thread_id}"),
    }
    post_id = alice.reply(thread_id, "A reply that arrives live.")
    live = {}
    for name, page in readers.items():
        page.wait_for_selector(f"#p{post_id}", timeout=10000)
        live[name] = controls(page, post_id)
    readers["member"].screenshot(
        path=str(screenshot_dir() / "thread-live-controls-member.png"), full_page=True
    )

    assert {"report-link:Report", "reply-link:Reply", "quote-link:Quote"} <= set(live["member"])
    assert not any(c.endswith((":Edit", ":Delete")) for c in live["member"])
    assert "reply-link:Reply" in live["author"] and any(c.endswith(":Edit") for c in live["author"])
    assert not any(c.endswith(":Report") for c in live["author"])
    assert live["anonymous"] == []
    for name, page in readers.items():
        page.reload()
        page.wait_for_selector(f"#p{post_id}")
        assert controls(page, post_id) == live[name], name
        assert page.errors == [], name
