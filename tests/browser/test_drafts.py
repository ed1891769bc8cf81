"""Drafts kept on the server as one types (static/js/drafts.js): a half-written reply or new thread
survives a closed tab and comes back on another device, aimed at the same post, until it is sent or
thrown away."""

import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.support.http import Visitor
from tests.support.live import screenshot_dir, signed_in_context, watched_page

pytestmark = pytest.mark.browser

SLUG = "c7-e-health"
WAIT = 15000  # ms: the script saves 1.2 s after the last keystroke; a busy machine answers slowly

SAVED = "Draft saved."
BACK = "Your draft is back."
DISCARDED = "Draft discarded."


def draft_fetch(path):
    """Matches the page script's GET of the place's draft (made once the page has loaded)."""
    return lambda response: response.request.method == "GET" and urlsplit(response.url).path == path


def open_with_draft(page, url, draft_path):
    """Go to `url` and return what the server answered the page's request for the draft."""
    with page.expect_response(draft_fetch(draft_path), timeout=WAIT) as answer:
        page.goto(url)
    assert answer.value.status == 200
    return answer.value.json()["draft"]


def reload_with_draft(page, draft_path):
    with page.expect_response(draft_fetch(draft_path), timeout=WAIT) as answer:
        page.reload()
    assert answer.value.status == 200
    return answer.value.json()["draft"]


def draft_on_server(visitor, draft_path):
    """The member's draft for the place, asked of the server directly (what another device gets)."""
    response = visitor.http.get(visitor.base + draft_path, timeout=10)
    response.raise_for_status()
    return response.json()["draft"]


def wait_until_saved(page, form, visitor, draft_path, **fields):
    """Wait for the form's draft line to say "Draft saved." and for the server to hold `fields` (a
    slow machine may let the script save part of the text first, then the rest)."""
    expect(page.locator(f"{form} .draft-status")).to_have_text(SAVED, timeout=WAIT)
    deadline = time.monotonic() + WAIT / 1000
    while True:
        draft = draft_on_server(visitor, draft_path)
        kept = {name: (draft or {}).get("fields", {}).get(name) for name in fields}
        if kept == fields or time.monotonic() > deadline:
            assert kept == fields, "the server holds the draft as typed"
            return draft
        page.wait_for_timeout(200)


def type_into(page, selector, text):
    """Click into the field and type as a person does, one key at a time (input events fire)."""
    page.click(selector)
    page.keyboard.type(text)


def thread_with_a_reply(server):
    """Omar's thread with Layla's reply in it; Mona, a member, is about to write."""
    mona = Visitor(server.url).register("mona", display_name="Mona")
    omar = Visitor(server.url).register("omar", display_name="Omar")
    layla = Visitor(server.url).register("layla", display_name="Layla")
    thread_id = omar.new_thread(SLUG, "Solar power for rural clinics", "Which batteries last longest?")
    post_id = layla.reply(thread_id, "Lithium iron phosphate, in our experience: ten years and counting.")
    return mona, thread_id, post_id


REPLY = (
    "Our clinic in the hills runs on two panels and a small bank of batteries.\n"
    "The café next door shares the charge controller — it has worked for three years."
)


def test_a_reply_typed_before_the_tab_closed_is_back_on_another_device_until_it_is_sent(server, browser):
    """Mona types half a reply and sees "Draft saved." under it; she closes the tab. On her phone the
    thread's reply box holds exactly what she typed, with "Your draft is back." and a "Discard draft"
    button. She sends it: the reply is in the thread, the box is empty, and reloading brings nothing
    back, on this device or the first one."""
    mona, thread_id, _ = thread_with_a_reply(server)
    draft_path = f"/drafts/reply/{thread_id}"
    thread_url = f"{server.url}/t/{thread_id}"

    laptop = signed_in_context(browser, server, mona)
    page = watched_page(laptop)
    assert open_with_draft(page, thread_url, draft_path) is None
    assert page.get_attribute("#reply-form", "data-draft-url") == draft_path
    expect(page.locator("#reply-form .draft-status")).to_be_hidden()
    type_into(page, "#reply-form textarea", REPLY)
    wait_until_saved(page, "#reply-form", mona, draft_path, body=REPLY)
    expect(page.locator("#reply-form .draft-status")).to_have_text(SAVED)
    expect(page.locator("#reply-form .draft-discard")).to_be_visible()
    assert page.errors == []
    page.close()  # the tab, mid-reply

    phone = signed_in_context(browser, server, mona, viewport={"width": 390, "height": 844}, is_mobile=True)
    other = watched_page(phone)
    assert open_with_draft(other, thread_url, draft_path)["fields"]["body"] == REPLY
    status = other.locator("#reply-form .draft-status")
    expect(status).to_have_text(BACK, timeout=WAIT)
    expect(status).to_be_visible()
    expect(other.locator("#reply-form .draft-discard")).to_be_visible()
    assert other.input_value("#reply-form textarea") == REPLY
    other.locator("#reply-form").screenshot(path=str(screenshot_dir() / "drafts-reply-back.png"))

    with other.expect_response(draft_fetch(draft_path), timeout=WAIT) as after_sending:
        other.click("#reply-form button[type=submit]:has-text('Post reply')")
    assert after_sending.value.json()["draft"] is None
    new_post = urlsplit(other.url).fragment
    assert urlsplit(other.url).path == f"/t/{thread_id}" and new_post.startswith("p")
    expect(other.locator(f"#{new_post} .body")).to_contain_text("small bank of batteries")
    assert other.input_value("#reply-form textarea") == ""
    expect(status).to_be_hidden()

    assert reload_with_draft(other, draft_path) is None
    assert other.input_value("#reply-form textarea") == ""
    expect(status).to_be_hidden()
    expect(other.locator("#reply-form .draft-discard")).to_be_hidden()
    assert draft_on_server(mona, draft_path) is None

    again = watched_page(laptop)  # the first device, opened again
    assert open_with_draft(again, thread_url, draft_path) is None
    assert again.input_value("#reply-form textarea") == ""
    expect(again.locator("#reply-form .draft-status")).to_be_hidden()
    assert other.errors == [] and again.errors == []
    laptop.close()
    phone.close()


DOUBT = "On second thought, I am not sure about this."


def test_discard_draft_empties_the_box_and_a_reload_gives_nothing_back(server, browser):
    """Mona's saved draft comes back when she reloads the thread. She presses "Discard draft": the box
    empties and the page says "Draft discarded."; reloading leaves the box empty with no draft line."""
    mona, thread_id, _ = thread_with_a_reply(server)
    draft_path = f"/drafts/reply/{thread_id}"
    context = signed_in_context(browser, server, mona)
    page = watched_page(context)
    open_with_draft(page, f"{server.url}/t/{thread_id}", draft_path)
    type_into(page, "#reply-form textarea", DOUBT)
    wait_until_saved(page, "#reply-form", mona, draft_path, body=DOUBT)
    status = page.locator("#reply-form .draft-status")

    assert reload_with_draft(page, draft_path)["fields"]["body"] == DOUBT
    expect(status).to_have_text(BACK, timeout=WAIT)
    assert page.input_value("#reply-form textarea") == DOUBT

    with page.expect_response(
        lambda r: r.request.method == "POST" and urlsplit(r.url).path == f"{draft_path}/discard", timeout=WAIT
    ) as discarded:
        page.click("#reply-form .draft-discard")
    assert discarded.value.status == 200
    expect(status).to_have_text(DISCARDED, timeout=WAIT)
    expect(page.locator("#reply-form .draft-discard")).to_be_hidden()
    assert page.input_value("#reply-form textarea") == ""
    assert draft_on_server(mona, draft_path) is None

    assert reload_with_draft(page, draft_path) is None
    assert page.input_value("#reply-form textarea") == ""
    expect(status).to_be_hidden()
    expect(page.locator("#reply-form .draft-discard")).to_be_hidden()
    assert page.errors == []
    context.close()


QUESTION = "Which supplier did you use, Layla?"


def test_a_reply_to_a_post_comes_back_aimed_at_the_same_post_on_another_device(server, browser):
    """Mona presses "Reply" under Layla's post ("Replying to post #…" shows) and starts writing; she
    closes the tab. On her phone the draft is back still replying to Layla's post, and once sent the
    reply sits under that post, not at the end of the thread."""
    mona, thread_id, post_id = thread_with_a_reply(server)
    draft_path = f"/drafts/reply/{thread_id}"
    thread_url = f"{server.url}/t/{thread_id}"

    laptop = signed_in_context(browser, server, mona)
    page = watched_page(laptop)
    open_with_draft(page, thread_url, draft_path)
    page.wait_for_selector("#live-status[data-state='live']", timeout=WAIT)  # the page's script is ready
    expect(page.locator("#replying-to")).to_be_hidden()
    page.click(f"#p{post_id} .reply-link")
    expect(page.locator("#replying-to")).to_be_visible()
    assert page.input_value("#parent_id") == str(post_id)
    assert urlsplit(page.url).path == f"/t/{thread_id}" and "reply_to" not in page.url  # aimed in the page
    type_into(page, "#reply-form textarea", QUESTION)
    wait_until_saved(page, "#reply-form", mona, draft_path, body=QUESTION, parent_id=str(post_id))
    page.close()

    phone = signed_in_context(browser, server, mona, viewport={"width": 390, "height": 844}, is_mobile=True)
    other = watched_page(phone)
    open_with_draft(other, thread_url, draft_path)
    expect(other.locator("#reply-form .draft-status")).to_have_text(BACK, timeout=WAIT)
    assert other.input_value("#reply-form textarea") == QUESTION
    assert other.input_value("#parent_id") == str(post_id)
    expect(other.locator("#replying-to")).to_be_visible()
    expect(other.locator("#replying-to-link")).to_have_text(f"#{post_id}")
    other.locator("#reply-form").screenshot(path=str(screenshot_dir() / "drafts-reply-to-post-back.png"))

    with other.expect_response(draft_fetch(draft_path), timeout=WAIT):
        other.click("#reply-form button[type=submit]:has-text('Post reply')")
    new_post = urlsplit(other.url).fragment
    assert new_post.startswith("p")
    assert other.get_attribute(f"#{new_post}", "data-parent-id") == str(post_id)
    assert other.errors == []
    laptop.close()
    phone.close()


def test_a_new_thread_typed_before_the_tab_closed_is_back_with_its_title(server, browser):
    """Mona starts a new thread, types its title and body, sees "Draft saved." and closes the tab.
    Opening "New thread" in the same community on another device gives her both back."""
    mona = Visitor(server.url).register("mona", display_name="Mona")
    new_url = f"{server.url}/c/{SLUG}/new"
    title = "Spare parts for solar pumps"
    body = "Where do cooperatives buy spare parts?\nOurs waited four months for a controller."

    laptop = signed_in_context(browser, server, mona)
    page = watched_page(laptop)
    page.goto(new_url)
    draft_path = page.get_attribute("form[data-draft-url]", "data-draft-url")
    assert draft_path.startswith("/drafts/thread/")
    page.wait_for_load_state("load")
    type_into(page, "form[data-draft-url] input[name=title]", title)
    type_into(page, "form[data-draft-url] textarea[name=body]", body)
    wait_until_saved(page, "form[data-draft-url]", mona, draft_path, title=title, body=body)
    assert page.errors == []
    page.close()

    desktop = signed_in_context(browser, server, mona)
    other = watched_page(desktop)
    assert open_with_draft(other, new_url, draft_path)["fields"]["title"] == title
    expect(other.locator("form[data-draft-url] .draft-status")).to_have_text(BACK, timeout=WAIT)
    assert other.input_value("form[data-draft-url] input[name=title]") == title
    assert other.input_value("form[data-draft-url] textarea[name=body]") == body
    expect(other.locator("form[data-draft-url] .draft-discard")).to_be_visible()
    other.screenshot(path=str(screenshot_dir() / "drafts-new-thread-back.png"))
    assert other.errors == []
    laptop.close()
    desktop.close()
