"""The daily loop of a member: reading a long thread on one device and picking it up on another at
the first post not read yet, and reactions that every open page of a thread shows live."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.http import Visitor
from tests.support.live import live_server, screenshot_dir, signed_in_context, watched_page

pytestmark = pytest.mark.browser

PER_PAGE = 15
REPLIES = 40  # with the opening post, 41 posts: pages of 15, 15 and 11 in the flat view
TOTAL = REPLIES + 1
READ_THROUGH = 20  # the member reads the first 20 posts, about half the thread


@pytest.fixture
def paged_server(tmp_path):
    """The live server with short thread pages, so that half a thread spans more than one page."""
    with live_server(tmp_path / "server", POSTS_PER_PAGE=PER_PAGE) as running:
        yield running


def long_body(number: int) -> str:
    return (
        f"Point {number} of the review of community networks.\n\n"
        f"Reply {number} looks at how rural cooperatives share spectrum, what the regulator allows "
        "and what it costs a village to keep a mast running through the dry season.\n\n"
        f"Its third paragraph, for reply {number}, asks who maintains the equipment once the grant ends."
    )


class ReadReports:
    """The batches of posts the page's reading script reports read (POST /t/<id>/read), as sent.

    The script sends them with `keepalive`, whose answers Chromium does not pass to Playwright, so
    what the server made of them is asked of the server itself (`unread_on_server`)."""

    def __init__(self, page, thread_id):
        self.path = f"/t/{thread_id}/read"
        self.ids = []
        page.on("request", self._request)

    def _request(self, request):
        if request.method == "POST" and urlsplit(request.url).path == self.path:
            form = parse_qs(request.post_data or "")
            self.ids += [int(part) for part in form.get("ids", [""])[0].split(",") if part]


def unread_on_server(visitor, thread_id) -> int | None:
    """The member's count of unread posts in the thread, as the lists' live labels give it."""
    response = visitor.http.get(f"{visitor.base}/new/count?threads={thread_id}", timeout=10)
    response.raise_for_status()
    label = response.json()["threads"].get(str(thread_id), {}).get("label", "0 new")
    found = re.fullmatch(r"(\d+) new", label)
    return int(found.group(1)) if found else None


def settle(page, visitor, thread_id, expected: int, timeout=10.0) -> int | None:
    """Let the reading script's batch timer (2 s) run out, then wait for the server to count
    `expected` unread posts; returns what it counts last."""
    page.wait_for_timeout(2600)
    deadline = time.monotonic() + timeout
    while True:
        count = unread_on_server(visitor, thread_id)
        if count == expected or time.monotonic() > deadline:
            return count
        page.wait_for_timeout(200)


def scroll_through(page, post_ids):
    """Bring each post fully into view, in order, as a reader scrolling down does."""
    for post_id in post_ids:
        page.eval_on_selector(f"#p{post_id}", "el => el.scrollIntoView({block: 'end'})")
        page.wait_for_timeout(120)  # a frame or more for the IntersectionObserver to see it


def test_reading_half_a_thread_on_one_device_opens_it_at_the_first_unread_on_another(paged_server, browser):
    """Mona reads the first half of a long thread on her laptop. On her phone the community page says
    how many posts are new, the thread's first page offers "Jump to first unread", and following it
    lands her on the first post she did not scroll past, on the page that holds it."""
    server = paged_server
    mona = Visitor(server.url).register("mona", display_name="Mona")  # a member before the thread starts
    omar = Visitor(server.url).register("omar", display_name="Omar")
    thread_id = omar.new_thread("c7-e-health", "Community networks, a long review", long_body(0))
    for number in range(1, REPLIES + 1):
        omar.reply(thread_id, long_body(number))

    laptop = signed_in_context(browser, server, mona, viewport={"width": 1280, "height": 900})
    page = watched_page(laptop)
    reports = ReadReports(page, thread_id)
    page.goto(f"{server.url}/t/{thread_id}?view=flat")
    page.wait_for_selector("#live-status[data-state='live']")
    first_page = [
        int(i)
        for i in page.eval_on_selector_all("#posts article.post", "els => els.map(e => e.dataset.postId)")
    ]
    assert len(first_page) == PER_PAGE
    scroll_through(page, first_page)
    assert settle(page, mona, thread_id, TOTAL - PER_PAGE) == TOTAL - PER_PAGE
    assert sorted(reports.ids) == first_page

    page.click(".pagination a[rel='next']")
    page.wait_for_url(f"**/t/{thread_id}?*page=2*")
    page.wait_for_selector("#live-status[data-state='live']")
    second_page = [
        int(i)
        for i in page.eval_on_selector_all("#posts article.post", "els => els.map(e => e.dataset.postId)")
    ]
    assert len(second_page) == PER_PAGE
    thread_posts = first_page + second_page
    read = thread_posts[:READ_THROUGH]
    # The page opens at its top: what shows there is read at once, so the reader stops at post 20
    # only if no more than that is on screen from the start (the posts are long enough for it).
    scroll_through(page, second_page[: READ_THROUGH - PER_PAGE])
    assert settle(page, mona, thread_id, TOTAL - READ_THROUGH) == TOTAL - READ_THROUGH
    assert sorted(reports.ids) == read, "the laptop reported exactly the posts scrolled past"
    first_unread = thread_posts[READ_THROUGH]
    page.screenshot(path=str(screenshot_dir() / "daily-read-half.png"))
    assert page.errors == []

    phone = signed_in_context(browser, server, mona, viewport={"width": 390, "height": 844}, is_mobile=True)
    other = watched_page(phone)
    other.goto(f"{server.url}/c/c7-e-health")
    row = other.wait_for_selector(f"#thread-row-{thread_id}")
    assert row.eval_on_selector(".new-count", "el => el.textContent.trim()") == f"{TOTAL - READ_THROUGH} new"
    link = other.locator(f"#thread-row-{thread_id} a.thread-link")
    assert "unread" in link.get_attribute("class").split()
    assert link.get_attribute("href") == f"/t/{thread_id}/unread"

    other.goto(f"{server.url}/t/{thread_id}")
    jump = other.wait_for_selector("#jump-unread")
    assert "Jump to first unread" in jump.inner_text()
    jump.click()
    other.wait_for_url(f"**#p{first_unread}")
    landed = urlsplit(other.url)
    assert landed.path == f"/t/{thread_id}"
    assert parse_qs(landed.query) == {"view": ["flat"], "page": ["2"]}
    assert landed.fragment == f"p{first_unread}"
    other.wait_for_selector(f"#p{first_unread}")
    assert other.locator("#jump-unread").count() == 0  # the first unread is on this page
    top = other.eval_on_selector(f"#p{first_unread}", "el => el.getBoundingClientRect().top")
    assert -2 <= top < 844, "the first unread post is on screen"  # an anchor may land a sub-pixel above
    other.screenshot(path=str(screenshot_dir() / "daily-first-unread-phone.png"))
    assert other.errors == []
    laptop.close()
    phone.close()


def test_reactions_appear_live_in_another_members_browser(server, browser):
    """Aisha marks Carol's reply "Agree"; Bassam, reading the same thread in his own browser, sees the
    Agree count become 1 without reloading, with Aisha's name on it. When Aisha takes her reaction
    back, the count goes away on Bassam's page too."""
    aisha = Visitor(server.url).register("aisha", display_name="Aisha")
    bassam = Visitor(server.url).register("bassam", display_name="Bassam")
    carol = Visitor(server.url).register("carol", display_name="Carol")
    thread_id = carol.new_thread("c7-e-health", "Telemedicine in rural clinics", "What works offline?")
    post_id = carol.reply(thread_id, "Store-and-forward imaging works on slow links.")

    pages = {}
    for name, visitor in (("aisha", aisha), ("bassam", bassam)):
        page = watched_page(signed_in_context(browser, server, visitor))
        page.goto(f"{server.url}/t/{thread_id}")
        page.wait_for_selector("#live-status[data-state='live']")
        pages[name] = page
    agree = f"#p{post_id} form.reactions button[name='kind'][value='agree']"
    assert pages["bassam"].locator(f"{agree} span.n").count() == 0
    assert pages["bassam"].get_attribute(agree, "aria-pressed") == "false"

    pages["aisha"].click(agree)
    count = pages["bassam"].wait_for_selector(f"{agree} span.n", timeout=10000)
    assert count.inner_text() == "1"
    assert pages["bassam"].get_attribute(agree, "aria-pressed") == "false"  # Bassam did not react
    assert "Aisha" in pages["bassam"].locator(f"#r{post_id}-agree").text_content()
    pages["aisha"].wait_for_selector(f"{agree}[aria-pressed='true'] span.n", timeout=10000)
    assert pages["aisha"].url.endswith(f"/t/{thread_id}")  # sent without leaving the page
    pages["bassam"].screenshot(path=str(screenshot_dir() / "daily-reaction-live.png"))

    pages["aisha"].click(agree)
    pages["bassam"].wait_for_selector(f"{agree} span.n", state="detached", timeout=10000)
    assert pages["bassam"].locator(f"#r{post_id}-agree").count() == 0
    pages["aisha"].wait_for_selector(f"{agree}[aria-pressed='false']", timeout=10000)
    for page in pages.values():
        assert page.errors == []
