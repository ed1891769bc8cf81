"""A moderator hides a post; a second member's open page shows the placeholder live, replies intact."""

import pytest

from tests.support.http import Visitor
from tests.support.live import chromium_browser, live_server, screenshot_dir

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    with live_server(tmp_path / "server") as running:
        yield running


@pytest.fixture
def browser():
    with chromium_browser() as running:
        yield running


def _context_for(browser, server, visitor):
    context = browser.new_context()
    context.add_cookies([{"name": c.name, "value": c.value, "url": server.url} for c in visitor.http.cookies])
    return context


def test_hidden_post_turns_into_a_placeholder_on_an_open_page(server, browser):
    author = Visitor(server.url).register("author_a", display_name="Author")
    reader = Visitor(server.url).register("reader_b", display_name="Reader")
    moderator = Visitor(server.url).register("facilitator", display_name="Facilitator")
    server.flask(
        "create-admin", "facilitator", "facilitator@example.org", "--password", "a long enough password"
    )
    thread_id = author.new_thread("c7-e-health", "Clinic connectivity", "How do clinics get online?")
    rude = author.reply(thread_id, "Something rude that must go")
    answer = reader.reply(thread_id, "A calm answer underneath", parent_id=rude)

    reader_page = _context_for(browser, server, reader).new_page()
    errors = []
    reader_page.on("pageerror", lambda error: errors.append(str(error)))
    reader_page.goto(f"{server.url}/t/{thread_id}")
    reader_page.wait_for_selector("#live-status[data-state='live']")
    assert "Something rude" in reader_page.inner_text(f"#p{rude}")

    moderator_page = _context_for(browser, server, moderator).new_page()
    moderator_page.goto(f"{server.url}/moderation/p/{rude}")
    moderator_page.fill("#hide-reason", "Insulting")
    moderator_page.click("button:has-text('Hide the post')")
    moderator_page.wait_for_selector(".flash-success")

    placeholder = reader_page.wait_for_selector(f"#p{rude} .placeholder", timeout=10000)
    assert "hidden by a moderator" in placeholder.inner_text()
    reader_page.wait_for_function(
        f"!document.querySelector('#p{rude}').innerText.includes('Something rude')", timeout=10000
    )
    assert "A calm answer underneath" in reader_page.inner_text(f"#p{answer}")
    reader_page.screenshot(path=str(screenshot_dir() / "moderation-live-hide.png"), full_page=True)
    assert errors == []
