"""Two people on the same thread: a reply by one appears in the other's page, under its parent, live."""

import pytest

from tests.support.http import Visitor
from tests.support.live import screenshot_dir

pytestmark = pytest.mark.browser


def signed_in_context(browser, server, username):
    visitor = Visitor(server.url).register(username, display_name=username.title())
    context = browser.new_context()
    context.add_cookies([{"name": c.name, "value": c.value, "url": server.url} for c in visitor.http.cookies])
    return visitor, context


def test_reply_appears_live_under_its_parent(server, browser):
    alice, alice_context = signed_in_context(browser, server, "alice")
    bob, bob_context = signed_in_context(browser, server, "bob")
    thread_id = alice.new_thread(
        "c7-e-learning", "Open courseware in Arabic", "Which platforms serve Arabic learners well?"
    )
    first = alice.reply(thread_id, "Edraak is one example.")

    bob_page = bob_context.new_page()
    errors = []
    bob_page.on("pageerror", lambda error: errors.append(str(error)))
    bob_page.goto(f"{server.url}/t/{thread_id}")
    bob_page.wait_for_selector("#live-status[data-state='live']")
    bob_page.fill("#body", "A half-typed thought that must survive")

    alice_page = alice_context.new_page()
    alice_page.goto(f"{server.url}/t/{thread_id}")
    alice_page.wait_for_selector("#live-status[data-state='live']")
    alice_page.click(f"#p{first} .reply-link")
    alice_page.fill("#body", "And Rwaq offers university courses.")
    alice_page.click("button:has-text('Post reply')")

    live = bob_page.wait_for_selector(
        f"li.node[data-post-id='{first}'] ol.replies article[data-parent-id='{first}']", timeout=10000
    )
    assert "Rwaq" in live.inner_text()
    assert bob_page.input_value("#body") == "A half-typed thought that must survive"
    assert (
        "Rwaq" in bob_page.inner_text("#live-announcer") or bob_page.locator("#live-announcer").count() == 1
    )
    # Bob can reply to the live post without reloading.
    bob_page.click(f"#{live.get_attribute('id')} .reply-link")
    assert bob_page.input_value("#parent_id") == live.get_attribute("id")[1:]
    bob_page.screenshot(path=str(screenshot_dir() / "thread-live-reply.png"), full_page=True)
    assert errors == []
