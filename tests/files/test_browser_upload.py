"""A member attaches a photo by drag and drop and a PDF with the picker, replies, and sees both on the
post; a refused file says why next to its name."""

import pytest

from tests.files import samples
from tests.support.http import Visitor
from tests.support.live import chromium_browser, live_server, screenshot_dir

pytestmark = pytest.mark.browser

DROP = """([bytes, name, type]) => {
  const transfer = new DataTransfer();
  transfer.items.add(new File([new Uint8Array(bytes)], name, {type}));
  return transfer;
}"""


def test_files_dropped_and_picked_are_uploaded_with_the_reply(tmp_path):
    with live_server(tmp_path / "server") as server, chromium_browser() as browser:
        member = Visitor(server.url).register("amina")
        thread_id = member.new_thread(
            "c7-e-health", "Clinic connectivity", "How do rural clinics get online?"
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies(
            [{"name": c.name, "value": c.value, "url": server.url} for c in member.http.cookies]
        )
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{server.url}/t/{thread_id}")
        page.wait_for_selector("[data-uploader]")

        photo = page.evaluate_handle(DROP, [list(samples.png()), "clinic.png", "image/png"])
        page.dispatch_event(".drop-zone", "drop", {"dataTransfer": photo})
        pdf_path = tmp_path / "survey.pdf"
        pdf_path.write_bytes(samples.pdf(["Page one", "Page two", "Page three"]))
        page.set_input_files("[data-uploader-input]", str(pdf_path))
        page.locator(".upload-list li[data-upload-id]").nth(1).wait_for()

        bad = page.evaluate_handle(DROP, [list(samples.HTML_AS_PDF), "report.pdf", "application/pdf"])
        page.dispatch_event(".drop-zone", "drop", {"dataTransfer": bad})
        refused = page.wait_for_selector(".upload-list li.failed .status")
        assert "not accepted" in refused.inner_text()

        page.fill("#body", "Survey results attached, with a photo of the clinic.")
        page.click("#reply-form button[type=submit]")
        article = page.wait_for_selector("article:has-text('Survey results attached')")
        assert article.query_selector(".attachment.image img") is not None
        assert "survey.pdf" in article.inner_text() and "3 pages" in article.inner_text()
        page.screenshot(path=str(screenshot_dir() / "files-on-a-post.png"), full_page=True)
        assert errors == []
        context.close()
