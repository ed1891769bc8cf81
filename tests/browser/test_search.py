"""A person posts in Arabic and Chinese, then finds both from the header search box.

The Arabic word is written with harakat in the post and searched without them; the results page,
in Arabic, lays out right to left and shows the original spelling highlighted.
"""

import time

import pytest

from tests.browser.test_discussion_flow import register
from tests.support.live import screenshot_dir

pytestmark = pytest.mark.browser

ARABIC_BODY = "يحتاج المُجْتَمَعُ إلى الشمول الرقمي في المدارس الريفية"
CHINESE_REPLY = "我们今天讨论信息社会的发展和农村学校的宽带接入"


def post_thread_and_reply(page, base):
    page.goto(f"{base}/c/c7-e-health/new")
    page.fill("#title", "الصحة الإلكترونية في الأرياف")
    page.fill("#body", ARABIC_BODY)
    page.select_option("#language", "ar")
    page.click("button:has-text('Start thread')")
    page.wait_for_selector("article.post.opening")
    page.fill("#body", CHINESE_REPLY)
    page.select_option("#language", "zh")
    page.click("button:has-text('Post reply')")
    page.wait_for_selector("article.post:not(.opening)")


def search_from_header(page, query: str, expect_results: int, timeout: float = 15.0):
    """Type into the header box and submit; the indexer runs in the background, so try again briefly."""
    deadline = time.monotonic() + timeout
    while True:
        page.fill("#header-search-q", query)
        page.press("#header-search-q", "Enter")
        page.wait_for_selector(".result-count")
        if page.locator(".search-result").count() >= expect_results or time.monotonic() > deadline:
            return
        time.sleep(0.5)


def test_arabic_and_chinese_found_from_the_header_box(server, browser):
    author = browser.new_page()
    register(author, server.url, "samira")
    post_thread_and_reply(author, server.url)

    context = browser.new_context(locale="ar")
    page = context.new_page()
    page.goto(server.url + "/")
    search_from_header(page, "المجتمع", expect_results=1)  # no harakat in the query
    assert page.get_attribute("html", "dir") == "rtl"
    marks = page.locator(".search-result .snippet mark").all_inner_texts()
    assert "المُجْتَمَعُ" in marks  # the post's own spelling, highlighted
    assert page.evaluate("getComputedStyle(document.querySelector('.search-results')).direction") == "rtl"
    result = page.locator(".search-result h3 a").first.bounding_box()
    listing = page.locator(".search-results").bounding_box()
    assert result["x"] + result["width"] > listing["x"] + listing["width"] * 0.6  # starts at the right
    page.screenshot(path=str(screenshot_dir() / "search-arabic-rtl.png"), full_page=True)

    search_from_header(page, "信息社会", expect_results=1)
    hit = page.locator(".search-result[data-type='post']")
    assert hit.count() == 1
    assert "".join(hit.locator(".snippet mark").all_inner_texts()) == "信息社会"
    page.screenshot(path=str(screenshot_dir() / "search-chinese.png"), full_page=True)
    context.close()
