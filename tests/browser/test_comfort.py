"""Page comfort: the compact phone header with its Menu button, the live indicator that stays silent
until the page is connected, dark colours (the device's setting or the member's choice in Settings),
and the keyboard shortcuts of a thread page (j/k, r, /, ?)."""

import re

import pytest

from tests.support.http import Visitor
from tests.support.live import screenshot_dir, signed_in_context, watched_page

pytestmark = pytest.mark.browser

SLUG = "c7-e-health"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WIDE = {"viewport": {"width": 1280, "height": 900}}
PHONE_HEADER_LIMIT = 0.15 * 844  # the header may take at most 15 % of a phone's height
TARGET = 44  # px, the smallest comfortable touch target

# The colour behind the page's text: the first element from <body> up with a background of its own.
PAGE_BACKGROUND = """() => {
  for (const el of [document.body, document.documentElement]) {
    const bg = getComputedStyle(el).backgroundColor;
    const m = bg.match(/rgba?\\(([^)]+)\\)/);
    const parts = m ? m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number) : [];
    if (parts.length && (parts.length < 4 || parts[3] > 0)) return parts.slice(0, 3);
  }
  return [255, 255, 255];  // nothing painted: the canvas is white
}"""


def member_with_thread(server, username="mona", replies=4):
    """A member, and a thread she opened with `replies` replies from another member: the member
    and the thread's id."""
    member = Visitor(server.url).register(username, display_name=username.title())
    other = Visitor(server.url).register(f"{username}-friend", display_name="Omar")
    thread_id = member.new_thread(SLUG, "Telemedicine in rural clinics", "What keeps working offline?")
    for number in range(1, replies + 1):
        other.reply(thread_id, f"Reply {number}: store-and-forward imaging works on slow links.")
    return member, thread_id


def box(page, selector):
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found


def page_background(page):
    return page.evaluate(PAGE_BACKGROUND)


def is_dark(rgb):
    return sum(rgb) < 150


def is_light(rgb):
    return sum(rgb) > 600


def current_post(page):
    """The id of the post the keyboard has chosen (None when none is)."""
    return page.evaluate(
        "() => { const p = document.querySelectorAll('#posts article.post.keyboard-current');"
        " return p.length === 1 ? p[0].dataset.postId : (p.length ? 'several' : null); }"
    )


def focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement; return e ? (e.dataset.postId || e.id || e.tagName) : null; }"
    )


# 1. The compact header


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_phone_header_is_one_short_bar_with_a_menu_button(server, browser, lang):
    """On a 390×844 phone, signed in, the header is a single short bar (under 15 % of the screen)
    with the site name, a "Menu" button and a search box tall enough to tap; the links and the
    language switcher are folded away until Menu is tapped, and tapping it again folds them back.
    In English and in Arabic, on the home page and on a thread."""
    member, thread_id = member_with_thread(server)
    member.choose_language(lang)
    page = watched_page(signed_in_context(browser, server, member, **PHONE))
    for path in ("/", f"/t/{thread_id}"):
        page.goto(server.url + path)
        page.wait_for_selector("#live-status[data-state='live']")  # the bar as it stays
        assert page.get_attribute("html", "lang") == lang
        button = page.locator("#menu-button")
        assert button.is_visible(), f"{path}: no Menu button on a phone"
        assert button.get_attribute("aria-expanded") == "false"
        assert button.get_attribute("aria-controls") == "site-menu"
        assert box(page, "#menu-button")["height"] >= TARGET
        for folded in ("#site-menu", "#site-menu .site-nav", "#site-menu .account", "#language-select"):
            assert page.locator(folded).is_hidden(), f"{path}: {folded} shows with the menu closed"
        header = box(page, "header.site-header")["height"]
        assert header < PHONE_HEADER_LIMIT, f"{path} ({lang}): the closed header is {header} px tall"
        assert box(page, "#header-search-q")["height"] >= TARGET

        button.click()
        page.wait_for_selector("#site-menu.open")
        assert button.get_attribute("aria-expanded") == "true"
        for shown in ("#site-menu .site-nav a", "#site-menu .account", "#language-select"):
            assert page.locator(shown).first.is_visible(), f"{path}: {shown} hidden with the menu open"
        settings = page.locator("#site-menu .account a[href='/settings']")
        assert settings.is_visible()
        assert box(page, "header.site-header")["height"] > header, "the open menu is part of the header"

        button.click()
        page.wait_for_selector("#site-menu:not(.open)", state="attached")
        assert button.get_attribute("aria-expanded") == "false"
        assert page.locator("#site-menu .site-nav").is_hidden()
        assert box(page, "header.site-header")["height"] == pytest.approx(header, abs=1)
    page.screenshot(path=str(screenshot_dir() / f"comfort-phone-header-{lang}.png"))
    assert page.errors == []


def test_wide_header_shows_its_links_without_a_menu_button(server, browser):
    """On a 1280 px screen nothing is folded: no Menu button, the navigation, account links and
    language switcher sit in the header, and the search box is at least 44 px tall."""
    member, _thread_id = member_with_thread(server, replies=1)
    page = watched_page(signed_in_context(browser, server, member, **WIDE))
    page.goto(server.url + "/")
    page.wait_for_selector("#live-status[data-state='live']")
    assert page.locator("#menu-button").is_hidden()
    assert page.locator(".site-nav a", has_text="Communities").is_visible()
    for link in ("a[href='/settings']", "#new-link", "#language-select"):
        assert page.locator(f"header.site-header {link}").is_visible(), f"{link} is hidden at 1280 px"
    assert box(page, "#header-search-q")["height"] >= TARGET
    assert page.errors == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_phone_search_box_is_not_covered_by_the_live_indicator(server, browser, lang):
    """On a phone the search box and the "live" pill sit side by side: the pill does not cover the
    box's text."""
    member, thread_id = member_with_thread(server, replies=1)
    member.choose_language(lang)
    page = watched_page(signed_in_context(browser, server, member, **PHONE))
    page.goto(f"{server.url}/t/{thread_id}")
    page.wait_for_selector("#live-status[data-state='live']")
    search, live = box(page, "#header-search-q"), box(page, "#live-status")
    overlap = min(search["x"] + search["width"], live["x"] + live["width"]) - max(search["x"], live["x"])
    same_row = search["y"] < live["y"] + live["height"] and live["y"] < search["y"] + search["height"]
    assert not (same_row and overlap > 0), f"the live pill covers {overlap:.0f} px of the search box"


# 2. The live indicator


def test_live_indicator_is_silent_until_the_page_has_connected(server, browser):
    """A reader whose connection to the live service never comes up sees no "reconnecting" or
    "offline" warning about a connection they never had: the indicator stays hidden. Once a page
    does connect, it says "live"."""
    member, thread_id = member_with_thread(server, replies=1)
    context = signed_in_context(browser, server, member, **WIDE)
    blocked = watched_page(context)
    attempts = []

    def refuse(route):
        attempts.append(route.request.url)
        route.abort()

    def refuse_socket(socket):
        attempts.append(socket.url)
        socket.close()

    blocked.route("**/socket.io/**", refuse)  # the long-polling transport
    blocked.route_web_socket(re.compile(r"/socket\.io/"), refuse_socket)  # and the WebSocket one
    blocked.goto(f"{server.url}/t/{thread_id}")
    blocked.wait_for_selector("#posts article.post")
    blocked.wait_for_timeout(3000)
    assert attempts, "the page did not try to connect, so the test proves nothing"
    status = blocked.locator("#live-status")
    assert status.is_hidden()
    assert status.get_attribute("data-state") is None
    assert status.text_content().strip() == ""
    assert blocked.errors == []

    page = watched_page(context)
    page.goto(f"{server.url}/t/{thread_id}")
    page.wait_for_selector("#live-status[data-state='live']", timeout=10000)
    assert page.locator("#live-status").is_visible()
    assert page.errors == []


# 3. Dark colours


def test_page_follows_the_devices_light_or_dark_setting(server, browser):
    """Someone whose phone or computer is set to dark gets a dark page; set to light, a light one
    (nobody chose otherwise in Settings; signed in or not)."""
    member, thread_id = member_with_thread(server, replies=1)
    for scheme, looks in (("dark", is_dark), ("light", is_light)):
        for visitor in (None, member):
            options = {**WIDE, "color_scheme": scheme}
            context = (
                signed_in_context(browser, server, visitor, **options)
                if visitor
                else browser.new_context(**options)
            )
            page = watched_page(context)
            page.goto(f"{server.url}/t/{thread_id}")
            page.wait_for_selector("#posts article.post")
            assert page.get_attribute("html", "data-theme") == "auto"
            background = page_background(page)
            who = "member" if visitor else "visitor"
            assert looks(background), f"{scheme} device, {who}: page background is rgb{tuple(background)}"
            if scheme == "dark":
                post = page.eval_on_selector(
                    "#posts article.post", "el => getComputedStyle(el).backgroundColor"
                )
                assert post != "rgb(255, 255, 255)", "posts stay white on a dark page"
            context.close()


def choose_colours(page, server, value):
    page.goto(f"{server.url}/settings")
    page.select_option("#theme", value)
    page.click("form:has(#theme) button[type='submit']")
    page.wait_for_selector(f"html[data-theme='{value}'] .flash-success")


def test_member_chooses_light_or_dark_in_settings_whatever_the_device_says(server, browser):
    """A member whose device is set to dark but who finds the dark page hard to read picks "Light"
    under Colours in Settings and gets light pages; one with a light device who picks "Dark" gets
    dark pages; "As my device is set" follows the device again."""
    member, thread_id = member_with_thread(server, replies=1)
    dark_device = watched_page(signed_in_context(browser, server, member, **WIDE, color_scheme="dark"))
    dark_device.goto(f"{server.url}/settings")
    assert dark_device.locator("#theme").input_value() == "auto"
    assert is_dark(page_background(dark_device))
    choose_colours(dark_device, server, "light")
    assert is_light(page_background(dark_device)), "light chosen: the settings page itself is light"
    dark_device.goto(f"{server.url}/t/{thread_id}")
    dark_device.wait_for_selector("#posts article.post")
    assert dark_device.get_attribute("html", "data-theme") == "light"
    assert is_light(page_background(dark_device)), (
        f"light chosen, dark device: {page_background(dark_device)}"
    )

    light_device = watched_page(signed_in_context(browser, server, member, **WIDE, color_scheme="light"))
    choose_colours(light_device, server, "dark")
    light_device.goto(f"{server.url}/t/{thread_id}")
    light_device.wait_for_selector("#posts article.post")
    assert light_device.get_attribute("html", "data-theme") == "dark"
    assert is_dark(page_background(light_device)), (
        f"dark chosen, light device: {page_background(light_device)}"
    )
    light_device.screenshot(path=str(screenshot_dir() / "comfort-dark-chosen.png"))

    choose_colours(light_device, server, "auto")
    assert is_light(page_background(light_device)), "back to the device's (light) setting"
    assert dark_device.errors == [] and light_device.errors == []


# 4. Keyboard shortcuts


def keyboard_thread(server, browser):
    """A signed-in member's connected thread page with five posts, and the posts' ids in order."""
    member, thread_id = member_with_thread(server, replies=4)
    page = watched_page(signed_in_context(browser, server, member, **WIDE))
    page.goto(f"{server.url}/t/{thread_id}")
    page.wait_for_selector("#live-status[data-state='live']")  # the reply form's live wiring is in place
    ids = page.eval_on_selector_all("#posts article.post", "els => els.map(e => e.dataset.postId)")
    assert len(ids) == 5
    return page, ids


def test_j_and_k_move_from_post_to_post_and_r_answers_the_chosen_one(server, browser):
    """Reading a thread with the keyboard: j marks and focuses the first post, j again the next,
    k goes back; r then opens the reply box aimed at the chosen post, with the cursor in it."""
    page, ids = keyboard_thread(server, browser)
    assert current_post(page) is None
    page.keyboard.press("j")
    assert current_post(page) == ids[0]
    assert focused(page) == ids[0]
    page.keyboard.press("j")
    assert current_post(page) == ids[1]
    page.keyboard.press("j")
    assert current_post(page) == ids[2]
    page.keyboard.press("k")
    assert current_post(page) == ids[1]
    assert focused(page) == ids[1]
    outline = page.eval_on_selector(".keyboard-current", "el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "the chosen post is not marked"

    page.keyboard.press("r")
    page.wait_for_function("document.activeElement && document.activeElement.matches('#reply-form textarea')")
    assert page.input_value("#parent_id") == ids[1], "the reply answers the chosen post"
    assert page.locator("#replying-to").is_visible()
    assert page.input_value("#reply-form textarea") == "", "the r itself is not typed"
    assert page.errors == []


def test_r_without_a_chosen_post_goes_to_the_reply_box(server, browser):
    """Pressing r before choosing a post puts the cursor in the reply box, answering the thread."""
    page, _ids = keyboard_thread(server, browser)
    page.keyboard.press("r")
    page.wait_for_function("document.activeElement && document.activeElement.matches('#reply-form textarea')")
    assert page.input_value("#parent_id") == ""
    assert page.input_value("#reply-form textarea") == ""
    assert page.errors == []


def test_slash_goes_to_search_and_question_mark_lists_the_shortcuts(server, browser):
    """/ puts the cursor in the header's search box (without typing a slash into it); ? opens the
    list of shortcuts, which its Close button closes."""
    page, _ids = keyboard_thread(server, browser)
    page.keyboard.press("/")
    assert focused(page) == "header-search-q"
    assert page.input_value("#header-search-q") == ""
    page.locator("#header-search-q").blur()

    page.keyboard.press("?")
    page.wait_for_selector("dialog#shortcuts-help[open]")
    assert page.locator("#shortcuts-help dl").is_visible()
    page.screenshot(path=str(screenshot_dir() / "comfort-shortcuts.png"))
    page.click("#shortcuts-help .close-dialog")
    page.wait_for_selector("dialog#shortcuts-help", state="hidden")
    assert page.get_attribute("#shortcuts-help", "open") is None
    assert page.errors == []


def test_typing_j_and_k_in_the_reply_box_writes_them(server, browser):
    """Someone writing a reply who types "j" or "k" gets those letters in the text; the page does
    not jump from post to post, and neither r nor / steal the cursor."""
    page, _ids = keyboard_thread(server, browser)
    page.click("#reply-form textarea")
    page.keyboard.type("jjk r/?")
    assert page.input_value("#reply-form textarea") == "jjk r/?"
    assert current_post(page) is None
    assert page.locator("#posts article.post.keyboard-current").count() == 0
    assert page.evaluate("document.activeElement.matches('#reply-form textarea')")
    assert page.get_attribute("#shortcuts-help", "open") is None
    page.click("#header-search-q")
    page.keyboard.type("j")
    assert page.input_value("#header-search-q") == "j"
    assert current_post(page) is None
    assert page.errors == []


def test_single_key_shortcuts_can_be_turned_off_and_the_list_still_opens(server, browser):
    """A screen-reader or voice-control user unticks "Use single-key shortcuts" in the list: j and k
    then do nothing, also after a reload, while ? still opens the list so they can be turned back on."""
    page, ids = keyboard_thread(server, browser)
    page.keyboard.press("?")
    page.wait_for_selector("dialog#shortcuts-help[open]")
    assert page.is_checked("#shortcuts-toggle")
    page.uncheck("#shortcuts-toggle")
    page.click("#shortcuts-help .close-dialog")
    page.wait_for_selector("dialog#shortcuts-help", state="hidden")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert current_post(page) is None
    page.keyboard.press("/")
    assert focused(page) != "header-search-q"

    page.reload()
    page.wait_for_selector("#posts article.post")
    page.keyboard.press("j")
    assert current_post(page) is None, "turned off stays off on the next page"
    page.keyboard.press("?")
    page.wait_for_selector("dialog#shortcuts-help[open]")
    assert not page.is_checked("#shortcuts-toggle")
    page.check("#shortcuts-toggle")
    page.click("#shortcuts-help .close-dialog")
    page.wait_for_selector("dialog#shortcuts-help", state="hidden")
    page.keyboard.press("j")
    assert current_post(page) == ids[0], "turned back on"
    assert page.errors == []
