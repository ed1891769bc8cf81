"""The thread page in Arabic and Chinese: glyphs render, and Arabic lays out right to left."""

import pytest

from tests.a11y.pages import page_in
from tests.support.live import screenshot_dir

pytestmark = pytest.mark.browser

# Each glyph must take real width in the page's font (a missing glyph shows as a box or nothing).
GLYPHS_RENDER = """text => {
  const probe = document.createElement('span');
  probe.textContent = text;
  document.querySelector('main').append(probe);
  const width = probe.getBoundingClientRect().width;
  probe.remove();
  return width;
}"""


def box(page, selector):
    return page.eval_on_selector(
        selector, "el => { const r = el.getBoundingClientRect(); return [r.left, r.right]; }"
    )


@pytest.mark.parametrize("view", ["tree", "flat"])
def test_arabic_thread_is_mirrored(a11y_site, a11y_browser, view):
    with page_in(
        a11y_browser, a11y_site, f"thread-{view}", "ar", viewport={"width": 1100, "height": 900}
    ) as page:
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.eval_on_selector("main", "el => getComputedStyle(el).direction") == "rtl"
        assert "مشاركات" in page.inner_text(".thread-state") or "مشاركة" in page.inner_text(".thread-state")
        brand_left, brand_right = box(page, ".brand")
        account_left, _ = box(page, ".account")
        assert brand_left > account_left, "the brand should sit at the right, the account links to its left"
        if view == "tree":
            # A reply's branch is indented from the right: its right edge is left of its parent's.
            parent = page.locator("ol.post-tree > li.node > article.post").first
            child = page.locator("ol.post-tree ol.replies article.post").first
            assert child.bounding_box()["x"] + child.bounding_box()["width"] < (
                parent.bounding_box()["x"] + parent.bounding_box()["width"] - 5
            )
        assert page.evaluate(GLYPHS_RENDER, "الطب عن بعد") > 20
        page.screenshot(path=str(screenshot_dir() / f"thread-{view}-ar.png"), full_page=True)


def test_chinese_thread_renders_glyphs(a11y_site, a11y_browser):
    with page_in(
        a11y_browser, a11y_site, "thread-tree", "zh", viewport={"width": 1100, "height": 900}
    ) as page:
        assert page.get_attribute("html", "lang") == "zh"
        assert page.get_attribute("html", "dir") == "ltr"
        assert "社区" in page.inner_text("nav.site-nav")
        assert page.evaluate(GLYPHS_RENDER, "信息社会") > 30
        page.screenshot(path=str(screenshot_dir() / "thread-tree-zh.png"), full_page=True)
