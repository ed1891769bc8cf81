"""In a real browser: register, submit a binding workshop request on the live consultation, and
screenshot the timeline."""

import subprocess
import sys

import pytest

from tests.support.live import ROOT, chromium_browser, live_server, screenshot_dir

pytestmark = pytest.mark.browser

# Until the lead generates the migration for the consultation tables, `python run.py` (which
# upgrades to the latest migration) does not create them; create whatever is missing. A no-op
# once the migration exists.
CREATE_MISSING_TABLES = (
    "from app import create_app; from app.extensions import db; app = create_app()\n"
    "with app.app_context(): db.create_all()"
)


@pytest.fixture
def server(tmp_path):
    with live_server(tmp_path / "server") as running:
        subprocess.run(
            [sys.executable, "-c", CREATE_MISSING_TABLES], cwd=ROOT, env=running.env, check=True, timeout=120
        )
        running.flask("seed-demo")
        yield running


@pytest.fixture
def browser():
    with chromium_browser() as running:
        yield running


def register(page, base, username):
    page.goto(f"{base}/auth/register")
    page.fill("#username", username)
    page.fill("#email", f"{username}@example.org")
    page.fill("#password", "a long enough password")
    page.fill("#password_confirm", "a long enough password")
    page.fill("#display_name", "Kofi Boateng")
    page.fill("#organisation", "Ghana Health Service")
    page.select_option("#stakeholder_type", "government")
    page.click("button[type=submit].primary")
    page.wait_for_selector(".flash-success")


def fill_workshop(page):
    page.fill("#title", "Telemedicine for rural clinics")
    page.fill("#summary", "A roundtable on sustainable telemedicine in rural West Africa.")
    page.fill("#body", "We bring **three** perspectives.")
    page.check("input[name=action_lines] >> nth=0")
    page.select_option("#region", "africa")
    page.select_option("#details-format", "roundtable")
    page.select_option("#details-duration", "90")
    page.fill("#details-policy_questions", "How can telemedicine be financed sustainably?")
    page.check("input[name=details-languages][value=en]")
    page.check("input[name=details-languages][value=fr]")
    page.fill("#details-remote_participation", "Captioning for remote speakers.")
    speakers = [
        ("Amina Diallo", "Ministry of Health, Senegal", "government"),
        ("Jon Berg", "Nordic Telehealth", "private_sector"),
        ("Priya Nair", "Health Access Network", "civil_society"),
    ]
    for index, (name, organisation, stakeholder) in enumerate(speakers):
        page.fill(f"#details-speakers-{index}-name", name)
        page.fill(f"#details-speakers-{index}-organisation", organisation)
        page.select_option(f"#details-speakers-{index}-stakeholder_type", stakeholder)
    page.check("#details-binding_commitment")


def test_submit_a_workshop_request_and_see_the_timeline(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, timezone_id="America/New_York")
    register(page, server.url, "kofi")
    page.goto(server.url + "/consultations")
    page.click("text=Open Consultation Process >> nth=0")
    page.wait_for_selector("ol.timeline")
    page.screenshot(path=str(screenshot_dir() / "consultation-timeline.png"), full_page=True)
    current = page.locator("li.phase-current")
    assert current.count() == 1 and "Opening" in current.inner_text()
    # JavaScript turned the UTC fallback into the viewer's (New York) time.
    assert "America/New_York" in page.locator(".viewer-time").first.inner_text()

    page.click("a:has-text('Submit formal contributions')")
    page.click("a:has-text('Binding workshop request')")
    fill_workshop(page)
    # Two speakers only: refused, and what was typed comes back.
    page.fill("#details-speakers-2-name", "")
    page.fill("#details-speakers-2-organisation", "")
    page.click("button:has-text('Save and submit')")
    page.wait_for_selector(".error-summary")
    assert page.input_value("#details-speakers-0-name") == "Amina Diallo"
    assert page.input_value("#title") == "Telemedicine for rural clinics"
    page.fill("#details-speakers-2-name", "Priya Nair")
    page.fill("#details-speakers-2-organisation", "Health Access Network")
    page.click("button:has-text('Save and submit')")
    page.wait_for_selector(".flash-success")
    heading = page.inner_text("h1")
    assert "-WS-0001" in heading and "Telemedicine for rural clinics" in heading
    assert "Submitted" in page.inner_text(".page-header .actions")
    assert "Priya Nair" in page.inner_text(".speaker-table")
    page.screenshot(path=str(screenshot_dir() / "consultation-workshop.png"), full_page=True)
