"""A live reply updates the counts readers see as a reload would (issue 13, item 9): the thread's
"N posts", the branch's "N replies" and the community list's count."""

import pytest

from tests.support.http import Visitor
from tests.support.live import screenshot_dir

pytestmark = pytest.mark.browser


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


def test_post_counts_follow_live_replies(server, browser):
    from playwright.sync_api import expect

    alice = Visitor(server.url).register("alice")
    thread_id = alice.new_thread("c7-e-health", "Counting replies live", "How many posts are here?")
    thread_page = watching(browser, server, f"/t/{thread_id}")
    community_page = watching(browser, server, "/c/c7-e-health")
    assert "1 post" in thread_page.inner_text(".thread-state")
    assert community_page.inner_text(f"#thread-row-{thread_id} .post-count") == "1"

    opening = thread_page.get_attribute("#posts > li.node", "data-post-id")
    branch = thread_page.locator(f"li.node[data-post-id='{opening}'] > details.branch > summary")
    alice.reply(thread_id, "A second post, counted live.")
    expect(thread_page.locator(".thread-state")).to_contain_text("2 posts", timeout=10000)
    expect(community_page.locator(f"#thread-row-{thread_id} .post-count")).to_have_text("2", timeout=10000)
    alice.reply(thread_id, "And a third.")
    expect(thread_page.locator(".thread-state")).to_contain_text("3 posts", timeout=10000)
    expect(branch).to_have_text("2 replies")  # the opening post's branch, as a reload words it
    thread_page.screenshot(path=str(screenshot_dir() / "thread-live-counts.png"), full_page=True)
    thread_page.reload()
    assert "3 posts" in thread_page.inner_text(".thread-state")
    assert thread_page.errors == [] and community_page.errors == []
