"""Moderation tools as a moderator meets them (issue 20), at 1280 px and on a 390 px phone: the queue
leads with the queue, the community page holds the "hold new posts" switch, the audit log's filters fit
the screen and keep what was chosen, and a thread shows slow mode above the reply box and where a merged
thread's posts begin. Screenshots go to `screenshot_dir()` to be looked at."""

import pytest

from tests.support.http import Visitor
from tests.support.live import screenshot_dir, signed_in_context, watched_page

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
WIDTHS = {
    "1280": {"viewport": {"width": 1280, "height": 900}},
    "390": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth + 1"


def _post(visitor, path, data=None):
    response = visitor.http.post(
        visitor.base + path,
        data={"csrf_token": visitor.token("/"), **(data or {})},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]
    return response


def _open(site, browser, width, who, path):
    """A page at `width` signed in as `who`, at `path`."""
    page = watched_page(signed_in_context(browser, site["server"], site[who], **WIDTHS[width]))
    page.goto(site["server"].url + path)
    return page


def _fits_and_is_kept(page, name, width):
    """Nothing scrolls sideways; the screenshot is kept to be looked at."""
    assert not page.evaluate(SCROLLS_SIDEWAYS)
    page.screenshot(path=screenshot_dir() / f"moderation-{name}-{width}.png", full_page=True)


@pytest.fixture
def site(server):
    """An administrator, a moderator of C7 and its sub-lines, members, a reported reply, a thread in
    slow mode with another thread merged into it, and some history in the audit log."""
    admin = Visitor(server.url).register("amina", display_name="Amina")
    server.flask("create-admin", "amina", "amina@example.org", "--password", PASSWORD)
    moderator = Visitor(server.url).register("karim", display_name="Karim")
    _post(
        admin, "/moderation/c/c7/moderators", {"grant-username": "karim", "grant-reason": "Facilitator of C7"}
    )
    mona = Visitor(server.url).register("mona", display_name="Mona")
    omar = Visitor(server.url).register("omar", display_name="Omar")

    target = mona.new_thread("c7-e-health", "Connectivity for rural clinics", "Where do we start?")
    omar.reply(target, "Community networks have worked in our district.")
    branch = omar.reply(target, "Solar power keeps the routers on.")
    source = omar.new_thread(
        "c7-e-health", "Satellite internet costs", "What does a satellite link cost a clinic?"
    )
    mona.reply(source, "About 40 dollars a month in our pilot.")
    reported = omar.reply(target, "Buy cheap links at spam.example!")
    _post(mona, f"/moderation/report/post/{reported}", {"reason": "spam", "note": "Advertising"})
    _post(
        moderator,
        f"/moderation/t/{source}/merge",
        {"merge-target": str(target), "merge-reason": "Same topic"},
    )
    _post(moderator, f"/moderation/t/{target}/slow-mode", {"slow-seconds": "300", "slow-reason": "Heated"})
    _post(moderator, "/moderation/u/omar/warn", {"warn-reason": "No advertising, please."})
    split = _post(
        moderator,
        f"/moderation/p/{branch}/split",
        {"split-title": "Power for rural clinics", "split-reason": "Own topic"},
    )
    return {
        "server": server, "admin": admin, "moderator": moderator, "member": mona, "thread": target,
        "split": int(split.headers["Location"].rsplit("/t/", 1)[1].split("?")[0]),
    }  # fmt: skip


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_queue_leads_and_the_switch_is_on_the_community_page(site, browser, width):
    page = _open(site, browser, width, "moderator", "/moderation")
    first_item = page.locator("li.review-item").first.bounding_box()
    settings = page.locator("#community-settings").bounding_box()
    assert first_item["y"] < settings["y"]  # the queue comes first
    _fits_and_is_kept(page, "queue", width)

    page.locator("#community-settings a", has_text="C7 E-health").click()
    page.wait_for_selector("#post-approval")
    page.fill("#approval-reason", "A wave of advertising")
    page.get_by_role("button", name="Hold new posts for approval").click()
    page.wait_for_selector("#post-approval .badge")
    assert page.locator("#post-approval .badge").inner_text() == "Approval on"
    _fits_and_is_kept(page, "community", width)
    assert page.errors == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_audit_log_filters_fit_and_keep_what_was_chosen(site, browser, width):
    page = _open(site, browser, width, "admin", "/moderation/log")
    page.select_option("select[name=actor]", label="karim")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_selector("tr.audit-entry")
    sentences = page.locator("td.audit-sentence").all_inner_texts()
    assert sentences and all(sentence.startswith("Karim ") for sentence in sentences)
    assert page.locator("select[name=actor] option:checked").inner_text() == "karim"
    assert page.locator("a", has_text="Download CSV").is_visible()
    _fits_and_is_kept(page, "log", width)

    page.goto(site["server"].url + "/moderation/log?from=2026-13-40")
    error = page.locator(".audit-filters .error")
    assert error.inner_text() == "“2026-13-40” is not a date: write it as YYYY-MM-DD."
    _fits_and_is_kept(page, "log-error", width)
    assert page.errors == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_thread_shows_slow_mode_and_where_the_merged_posts_begin(site, browser, width):
    page = _open(site, browser, width, "member", f"/t/{site['thread']}")
    badge = page.locator(".thread-header .slow-mode-badge")
    assert badge.inner_text() == "Slow mode: one post every 5 minutes"
    notice = page.locator("#reply .slow-mode-notice").bounding_box()
    assert notice["y"] < page.locator("#reply-form textarea").bounding_box()["y"]
    marker = page.locator(".merged-from")
    assert marker.inner_text() == "Merged from «Satellite internet costs»"
    merged_post = page.locator("article.post", has=marker)
    assert "What does a satellite link cost a clinic?" in merged_post.inner_text()
    _fits_and_is_kept(page, "thread", width)

    page.goto(f"{site['server'].url}/t/{site['split']}?view=flat")
    origin = page.locator(".split-from a")
    assert origin.inner_text() == "Split from «Connectivity for rural clinics»"
    _fits_and_is_kept(page, "split", width)
    origin.click()
    page.wait_for_selector(".slow-mode-badge")
    assert page.url.endswith(f"/t/{site['thread']}")
    assert page.errors == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_moderation_pages_read_right_to_left_in_arabic(site, browser, width):
    context = signed_in_context(
        browser,
        site["server"],
        site["admin"],
        **WIDTHS[width],
        locale="ar",
        extra_http_headers={"Accept-Language": "ar"},
    )
    page = watched_page(context)
    for name, path in (
        ("queue", "/moderation"), ("community", "/moderation/c/c7-e-health"), ("log", "/moderation/log"),
        ("thread", f"/t/{site['thread']}"), ("split", f"/t/{site['split']}?view=flat"),
    ):  # fmt: skip
        page.goto(site["server"].url + path)
        page.wait_for_selector("main h1")
        assert page.get_attribute("html", "dir") == "rtl"
        _fits_and_is_kept(page, f"{name}-ar", width)
    assert (
        page.locator(".slow-mode-badge").count() == 0 or "5" in page.locator(".slow-mode-badge").inner_text()
    )
    assert page.errors == []
