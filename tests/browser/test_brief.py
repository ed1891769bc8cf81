"""The final brief as its readers see it (issue 20): the WSIS Forum 2017 demo's published brief opens
with its headline figures, its contents jump to the sections, nothing runs off a phone's screen or
breaks a reference number, no heading says its kind twice, paper shows the document without the
site around it, and the PDF comes in the reader's language. Then the secretariat corrects it, and
readers see version 2 with its note and what changed. Photographed in English, Arabic and Chinese,
wide, on a phone and as printed."""

import re
from urllib.parse import urlsplit

import pytest

from app.consultation.seed import WSIS2017_SLUG
from tests.support.http import Visitor
from tests.support.live import live_server, screenshot_dir, signed_in_context, watched_page

pytestmark = pytest.mark.browser

BRIEF = f"/consultations/{WSIS2017_SLUG}/brief"
PASSWORD = "a long enough password"
WIDTHS = {
    "1280": {"viewport": {"width": 1280, "height": 800}},
    "390": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
LANGUAGES = ("en", "ar", "zh")
REFERENCE = re.compile(r"^WSIS17-\S+$")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the file, with the demo consultations; the correction test (last) changes the
    brief, the tests before it read version 1."""
    with live_server(tmp_path_factory.mktemp("brief") / "server") as running:
        running.flask("seed-demo")
        yield running


def open_brief(browser, server, lang, width, path=BRIEF):
    """`path` in a new browser whose language is `lang` (Accept-Language), at `width`."""
    page = watched_page(browser.new_context(locale=lang, **WIDTHS[width]))
    response = page.goto(server.url + path)
    assert response.status == 200, f"{path} answers {response.status}"
    page.wait_for_selector(".key-figures")
    return page


def reads_in(page, lang):
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")


def fits_a_phone(page):
    """Nothing to scroll sideways, and every reference number on one line, in one piece."""
    # Compared with the phone's width: a mobile viewport widens itself to fit what overflows.
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 390, f"{page.url} is {scroll} px wide on a 390 px phone"
    references = page.evaluate(
        """() => [...document.querySelectorAll('.brief .reference')].map(el => ({
            text: el.innerText, lines: el.getClientRects().length,
            right: el.getBoundingClientRect().right, left: el.getBoundingClientRect().left}))"""
    )
    assert references, "no reference number on the page"
    for reference in references:
        assert reference["lines"] == 1, f"{reference['text']!r} wraps onto {reference['lines']} lines"
        assert REFERENCE.match(reference["text"]), f"{reference['text']!r} is broken"
        assert 0 <= reference["left"] and reference["right"] <= 390, f"{reference['text']!r} is off screen"


def opens_with_its_figures(page):
    """The headline figures come first, before any section, on the first screen."""
    figures = page.locator(".key-figures")
    assert figures.is_visible()
    assert page.locator(".key-figures dd").count() >= 4
    assert page.locator(".key-sentence").is_visible()
    first_section = page.locator(".brief-section").first
    assert figures.bounding_box()["y"] < first_section.bounding_box()["y"]
    before = page.evaluate(
        "() => !!(document.querySelector('.key-figures').compareDocumentPosition("
        "document.querySelector('.brief-section')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert before, "the key figures come after a section"
    top = figures.bounding_box()["y"]
    assert top < page.viewport_size["height"], f"the key figures start {top} px down, below the first screen"


def says_each_heading_once(page):
    """No heading repeats itself ("Workshops · Workshops")."""
    for heading in page.locator("main h1, main h2, main h3").all_inner_texts():
        parts = [part.strip().casefold() for part in heading.split("·") if part.strip()]
        assert len(parts) == len(set(parts)), f"the heading {heading!r} repeats itself"


def contents_jump_to_sections(page):
    """Each entry of the contents list brings its section to the top of the screen."""
    links = page.locator(".brief-contents a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    sections = [href for href in hrefs if href.startswith("#section-")]
    assert len(sections) == page.locator(".brief-section").count() >= 1
    for href in hrefs:
        page.evaluate("window.scrollTo(0, 0)")
        page.locator(f".brief-contents a[href='{href}']").click()
        page.wait_for_function("hash => location.hash === hash", arg=href)
        top = page.evaluate(f"document.querySelector('{href}').getBoundingClientRect().top")
        assert -2 <= top < page.viewport_size["height"] / 2, f"{href} is at {top} px after following its link"
    page.evaluate("window.scrollTo(0, 0)")


def prints_only_the_document(page):
    """On paper: no site header, buttons or breadcrumbs; the figures and every section are there."""
    page.emulate_media(media="print")
    for hidden in (".site-header", ".brief-header .actions", ".breadcrumbs"):
        assert not page.locator(hidden).first.is_visible(), f"{hidden} is printed"
    assert page.locator(".key-figures").is_visible()
    sections = page.locator(".brief-section")
    for i in range(sections.count()):
        assert sections.nth(i).is_visible()
    assert page.locator(".brief-statistics").is_visible()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_brief_reads_as_a_publication(server, browser, lang):
    """The published brief in `lang`, wide and on a phone: figures first, contents that jump, one of
    each heading, nothing off a phone's screen, reference numbers in one piece; and printed."""
    for width in WIDTHS:
        page = open_brief(browser, server, lang, width)
        reads_in(page, lang)
        opens_with_its_figures(page)
        says_each_heading_once(page)
        contents_jump_to_sections(page)
        if width == "390":
            fits_a_phone(page)
        page.screenshot(path=str(screenshot_dir() / f"brief-{lang}-{width}.png"), full_page=True)
        if width == "1280":
            prints_only_the_document(page)
            page.screenshot(path=str(screenshot_dir() / f"brief-{lang}-print.png"), full_page=True)
        assert page.errors == [], f"{lang} {width}: {page.errors}"
        page.context.close()


@pytest.mark.parametrize("lang", ("ar", "en"))
def test_download_pdf_gives_the_brief_in_the_readers_language(server, browser, lang, tmp_path):
    """ "Download PDF" downloads the PDF of version 1 in the page's language."""
    page = open_brief(browser, server, lang, "1280")
    link = page.locator(f".brief-header .actions a[href='{BRIEF}.pdf']")
    assert link.is_visible()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"{WSIS2017_SLUG}-brief-v1-{lang}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert page.errors == []
    page.context.close()


def test_a_correction_shows_its_note_and_what_changed(server, browser):
    """The consultation's secretariat (an administrator here) changes an item's disposition — takes
    it out and lists it again as partially incorporated — and publishes version 2 with a note; the
    brief says "Version 2" with the note, and version 2's page lists the change from version 1."""
    secretariat = Visitor(server.url).register("rashid", display_name="Rashid")
    server.flask("create-admin", "rashid", "rashid@example.org", "--password", PASSWORD)
    page = watched_page(signed_in_context(browser, server, secretariat, **WIDTHS["1280"]))
    page.goto(f"{server.url}{BRIEF}/edit")
    page.wait_for_selector(".brief-section")
    assert page.locator("#brief-correction form").count() == 0, "nothing to correct yet"

    item = page.locator(".brief-section li", has_text="Unconference hours")
    reference = item.inner_text().split()[0]
    assert REFERENCE.match(reference)
    item.get_by_role("button", name="Remove").click()
    page.wait_for_selector("#brief-correction form")
    assert page.locator(".brief-section li", has_text="Unconference hours").count() == 0
    section = page.locator(".brief-section", has_text="Format innovations")
    section.locator("summary").click()
    section.locator("input[name=reference]").fill(reference)
    section.locator("select[name=disposition]").select_option("partially")
    section.locator("textarea[name=rationale]").fill("Two open afternoon slots are tried in 2017.")
    section.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_selector(".brief-section li:has-text('Unconference hours')")

    note = "The unconference hours are tried this year after all."
    page.fill("#brief-correction textarea[name=note]", note)
    page.get_by_role("button", name="Publish version 2").click()
    page.wait_for_selector(".brief-status")
    assert urlsplit(page.url).path == BRIEF
    assert "Version 2" in page.inner_text(".brief-status")
    assert note in page.inner_text(".brief-note")
    page.locator(".brief-note a").click()
    page.wait_for_selector("#brief-changes")
    assert urlsplit(page.url).path == f"{BRIEF}/versions/2"
    assert page.inner_text("#brief-changes h2") == "What changed from version 1"
    assert note in page.inner_text("#brief-changes")
    change = page.locator("#brief-changes li.change-disposition")
    assert change.count() == 1
    assert f"{reference} Unconference hours: Noted → Partially incorporated" in change.inner_text()
    assert change.locator("del").inner_text() == "Noted"
    assert change.locator("ins").inner_text() == "Partially incorporated"
    assert page.locator("#brief-changes li.change-rationale", has_text=reference).count() == 1
    page.screenshot(path=str(screenshot_dir() / "brief-changes-en-1280.png"), full_page=True)

    # Version 1 stays readable, and its PDF is version 1's.
    page.goto(f"{server.url}{BRIEF}/versions/1")
    page.wait_for_selector(".key-figures")
    assert "This is an earlier version of the brief." in page.inner_text(".notice")
    assert page.locator(".brief-items tr", has_text="Considered for 2018.").count() == 1
    assert page.get_attribute(".brief-header a.primary", "href") == f"{BRIEF}/versions/1.pdf"
    assert page.errors == []
    page.context.close()

    # A reader in Arabic on a phone.
    page = open_brief(browser, server, "ar", "390", f"{BRIEF}/versions/2")
    reads_in(page, "ar")
    assert "←" in page.inner_text("#brief-changes li.change-disposition"), "the arrow points back"
    fits_a_phone(page)
    page.screenshot(path=str(screenshot_dir() / "brief-changes-ar-390.png"), full_page=True)
    assert page.errors == []
    page.context.close()
