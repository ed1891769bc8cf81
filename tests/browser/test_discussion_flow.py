"""A person registers, starts a thread in C7 e-health, and replies to a reply."""

import pytest

from tests.support.live import screenshot_dir

pytestmark = pytest.mark.browser


def register(page, base, username):
    page.goto(f"{base}/auth/register")
    page.fill("#username", username)
    page.fill("#email", f"{username}@example.org")
    page.fill("#password", "a long enough password")
    page.fill("#password_confirm", "a long enough password")
    page.fill("#display_name", "Amina Diallo")
    page.fill("#organisation", "Ministry of Health")
    page.select_option("#stakeholder_type", "government")
    page.click("button[type=submit].primary")
    page.wait_for_selector(".flash-success")


def test_register_start_thread_reply_to_reply(server, browser):
    page = browser.new_page()
    register(page, server.url, "amina")
    page.goto(server.url + "/")
    page.click("a[href='/c/c7-e-health']")
    page.wait_for_selector("h1 >> text=E-health")
    page.click("text=New thread")
    page.fill("#title", "Telemedicine for rural clinics")
    page.fill("#body", "How do we **connect** rural clinics to specialists?")
    page.click("button:has-text('Start thread')")
    opening = page.wait_for_selector("article.post.opening")
    assert "connect" in opening.inner_text()

    page.fill("#body", "Satellite links worked in our pilot.")
    page.click("button:has-text('Post reply')")
    first_reply = page.wait_for_selector("article.post:not(.opening)")
    first_id = first_reply.get_attribute("id")

    page.click(f"#{first_id} .reply-link")
    page.wait_for_selector("#replying-to:not([hidden])")
    page.fill("#body", "What did the satellite links cost per clinic?")
    page.click("button:has-text('Post reply')")
    nested = page.wait_for_selector(f"article.post[data-parent-id='{first_id[1:]}']")
    assert "cost per clinic" in nested.inner_text()
    # The reply to the reply sits inside the first reply's branch in the tree.
    assert (
        page.locator(
            f"li.node[data-post-id='{first_id[1:]}'] article[data-parent-id='{first_id[1:]}']"
        ).count()
        == 1
    )
    page.screenshot(path=str(screenshot_dir() / "thread-tree.png"), full_page=True)
