"""The pages that open Majlis to other systems (issue 19), as people see them in a browser: a
member's API tokens (the secret shown once, in a box it can be copied from), "Download my data" and
"Delete my account", the administrators' webhook endpoints with their delivery log, the API
reference rendered from our own files, and "Sign in with <organisation>" through a real OpenID
Connect provider. Each page is photographed in English and Arabic, wide and on a phone."""

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.http import Visitor
from tests.support.live import (
    LiveServer,
    free_port,
    live_server,
    screenshot_dir,
    signed_in_context,
    watched_page,
)
from tests.support.processes import oidc_provider, webhook_receiver

pytestmark = pytest.mark.browser

SLUG = "c7-e-health"
PASSWORD = "a long enough password"
SUPPORT = Path(__file__).resolve().parents[1] / "support"
WIDTHS = {
    "1280": {"viewport": {"width": 1280, "height": 800}},
    "390": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
LANGUAGES = ("en", "ar")
PROVIDER_NAME = "the Ministry"


@dataclass
class Site:
    server: LiveServer
    hook: str  # the webhook receiver's address
    received: Path  # what the receiver was sent, one JSON line a request


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One server for the whole file (each test brings members of its own), set up as a site open to
    other systems: webhooks may go to the receiver on 127.0.0.1, and single sign-on goes to the
    test provider."""
    tmp = tmp_path_factory.mktemp("open-systems")
    port = free_port()
    with (
        webhook_receiver(tmp / "received.jsonl") as hook,
        oidc_provider(tmp, f"http://127.0.0.1:{port}/auth/oidc/callback") as issuer,
        live_server(
            tmp / "server",
            port=port,
            WEBHOOK_ALLOW_PRIVATE="1",
            OIDC_ISSUER=issuer,
            OIDC_CLIENT_ID="majlis",
            OIDC_CLIENT_SECRET="s3cret",
            OIDC_NAME=PROVIDER_NAME,
        ) as server,  # fmt: skip
    ):
        yield Site(server, hook, tmp / "received.jsonl")


def page_for(browser, server, visitor, width, lang):
    """A page at `width` in `lang`: a member's chosen language, or a visitor's browser language."""
    if visitor is None:
        return watched_page(browser.new_context(locale=lang, **WIDTHS[width]))
    visitor.choose_language(lang)
    return watched_page(signed_in_context(browser, server, visitor, **WIDTHS[width]))


def fits_and_reads_right(page, width, lang):
    """What a reader sees at once: the page's language and direction, and nothing to scroll sideways
    on a phone."""
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    if width == "390":
        # Compared with the phone's width: a mobile viewport widens itself to fit what overflows.
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= 390, f"{page.url} ({lang}) is {scroll} px wide on a 390 px phone"


def photograph(
    browser, server, visitor, name, path, ready, prepare=None, check=None, watch=None, full_page=True
):
    """The page at `path` in English and Arabic, wide and on a phone: checked and photographed.
    `watch(page)` runs before the page loads, `prepare(page)` after (to fill in a form, say), and
    `check(page)` once it is ready."""
    for lang in LANGUAGES:
        for width in WIDTHS:
            page = page_for(browser, server, visitor, width, lang)
            if watch:
                watch(page)
            page.goto(server.url + path)
            if prepare:
                prepare(page)
            page.wait_for_selector(ready)
            fits_and_reads_right(page, width, lang)
            if check:
                check(page)
            shot = screenshot_dir() / f"open-systems-{name}-{lang}-{width}.png"
            page.screenshot(path=str(shot), full_page=full_page)
            assert page.errors == [], f"{name} ({lang}, {width}): {page.errors}"
            page.context.close()


# 1. Personal access tokens


def create_token(page, name, scopes=("read",), days="30"):
    page.fill("#name", name)
    for box in page.locator("fieldset.checkbox-list input[type=checkbox]").all():
        box.set_checked(box.get_attribute("value") in scopes)
    page.select_option("#days", days)
    page.click("form:has(#name) button[type=submit]")
    page.wait_for_selector("#new-token")


def secret_can_be_copied(page):
    """The new token's secret is in a read-only box whose whole value can be selected."""
    secret = page.input_value("#new-token")
    assert secret.startswith("mjl_") and len(secret) > 40
    assert page.get_attribute("#new-token", "readonly") is not None
    selected = page.evaluate(
        "() => { const i = document.querySelector('#new-token');"
        " i.select(); return i.value.substring(i.selectionStart, i.selectionEnd); }"
    )
    assert selected == secret, "the secret cannot be selected to copy it"
    return secret


def test_a_token_secret_is_shown_once_listed_and_revoked(site, browser):
    """A member names a token "Reporting script", gives it read and write for 30 days and gets its
    secret once, in a box it can be copied from; coming back to the page shows the token in the list
    (name, scopes, expiry) without the secret; Revoke takes it out of the list."""
    server = site.server
    member = Visitor(server.url).register("mona", display_name="Mona")
    page = watched_page(signed_in_context(browser, server, member, **WIDTHS["1280"]))
    page.goto(f"{server.url}/settings")
    page.click("a[href='/settings/tokens']")
    page.wait_for_selector("form:has(#name)")
    assert page.locator("#new-token").count() == 0

    create_token(page, "Reporting script", scopes=("read", "write"))
    secret = secret_can_be_copied(page)
    assert page.locator("label[for='new-token']").inner_text() == "Reporting script"

    page.goto(f"{server.url}/settings/tokens")
    page.wait_for_selector("table.tokens")
    assert page.locator("#new-token").count() == 0
    assert secret not in page.content(), "the secret is shown again"
    row = page.locator("table.tokens tbody tr", has_text="Reporting script")
    assert row.count() == 1
    assert row.locator("td[data-label='Scopes']").inner_text() == "Read, Write"
    assert row.locator("td[data-label='Expires']").inner_text() not in ("Never", "Expired")
    assert secret[:8] in row.inner_text(), "the token's first characters tell it apart"
    page.screenshot(path=str(screenshot_dir() / "open-systems-tokens-listed.png"), full_page=True)

    row.get_by_role("button", name="Revoke").click()
    page.wait_for_selector(".flash")
    assert "Reporting script" in page.inner_text(".flash")
    assert page.locator("table.tokens tbody tr", has_text="Reporting script").count() == 0
    assert page.errors == []
    page.context.close()

    photograph(
        browser, server, member, "tokens", "/settings/tokens", "#new-token",
        prepare=lambda p: create_token(p, "Screenshot token " + p.evaluate("document.documentElement.lang")),
        check=secret_can_be_copied,
    )  # fmt: skip


# 2. My data


def test_download_my_data_and_delete_my_account(site, browser, tmp_path):
    """Download my data gives a ZIP whose profile.json is the member's profile; Delete my account
    asks for the password and a tick, and refuses without the tick; then the member is signed out
    and their post reads as by "Deleted member"."""
    server = site.server
    member = Visitor(server.url).register("rania", display_name="Rania Haddad", organisation="Clinic Network")
    thread_id = member.new_thread(SLUG, "Clinics without power", "Which clinics keep records offline?")
    photograph(browser, server, member, "mydata", "/settings/data", "form button.danger")
    member.choose_language("en")

    page = watched_page(signed_in_context(browser, server, member, **WIDTHS["1280"]))
    page.goto(f"{server.url}/settings")
    page.click("a[href='/settings/data']")
    page.wait_for_selector("h2#delete")
    assert page.get_by_role("heading", name="Download my data").is_visible()
    assert page.get_by_role("heading", name="Delete my account").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip") and "rania" in download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as archive:
        profile = json.loads(archive.read("profile.json"))
        threads = json.loads(archive.read("threads.json"))
    assert profile["username"] == "rania" and profile["display_name"] == "Rania Haddad"
    assert profile["organisation"] == "Clinic Network"
    assert "Clinics without power" in json.dumps(threads)

    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_selector(".error-summary")
    assert page.locator("#confirm-error").is_visible(), "deleting without the tick is refused"
    page.goto(f"{server.url}/t/{thread_id}")
    page.wait_for_selector("#posts article.post")
    assert "Rania Haddad" in page.inner_text("#posts article.post")

    page.goto(f"{server.url}/settings/data")
    page.fill("#password", PASSWORD)
    page.check("#confirm")
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_selector(".flash")
    assert "Your account is deleted." in page.inner_text(".flash")
    assert page.locator("a[href='/settings']").count() == 0, "still signed in"
    page.goto(f"{server.url}/settings/data")
    assert urlsplit(page.url).path == "/auth/login"
    page.goto(f"{server.url}/t/{thread_id}")
    page.wait_for_selector("#posts article.post")
    post = page.inner_text("#posts article.post")
    assert "Deleted member" in post and "Rania Haddad" not in post
    assert "Which clinics keep records offline?" in post
    assert page.errors == []


# 3. Webhooks


def test_an_administrator_registers_a_webhook_and_sees_its_deliveries(site, browser):
    """An administrator registers an endpoint for new threads and posts: it is listed with its
    events, and its page shows the signing secret and, once a member starts a thread, the delivery
    as sent with the receiver's 200. To a member who is not an administrator these pages are not
    there (404)."""
    server, hook = site.server, site.hook
    admin = Visitor(server.url).register("amal", display_name="Amal")
    server.flask("create-admin", "amal", "amal@example.org", "--password", PASSWORD)
    member = Visitor(server.url).register("sami", display_name="Sami")

    page = watched_page(signed_in_context(browser, server, admin, **WIDTHS["1280"]))
    page.goto(f"{server.url}/admin/webhooks")
    page.wait_for_selector("form:has(#url)")
    assert page.get_by_text("No endpoint is registered.").is_visible()
    page.fill("#url", hook)
    page.get_by_label("A thread is started").check()
    page.get_by_label("A post is written").check()
    page.get_by_role("button", name="Register the endpoint").click()
    page.wait_for_selector("dl.details")
    endpoint = urlsplit(page.url).path
    assert page.inner_text("h1") == hook
    assert "Nothing was sent yet." in page.inner_text("main")
    assert len(page.input_value("#signing-secret")) == 64
    assert "t=<time>,v1=<HMAC-SHA256" in page.inner_text(".hint"), "the signature's format is garbled"

    page.goto(f"{server.url}/admin/webhooks")
    row = page.locator("table.webhooks tbody tr", has_text=hook)
    assert row.count() == 1
    assert "A thread is started" in row.inner_text() and "A post is written" in row.inner_text()
    assert "Active" in row.inner_text()

    thread_id = member.new_thread(SLUG, "Clinic data standards", "Which standard do the clinics use?")
    row.get_by_role("link").click()
    page.wait_for_selector("dl.details")
    delivery = page.locator("table.deliveries tr.delivery-sent", has_text=f"thread {thread_id}")
    for _ in range(50):  # the background job sends it within moments
        if delivery.count():
            break
        page.wait_for_timeout(200)
        page.reload()
    assert delivery.count() == 1, "the delivery is not shown as sent"
    assert "A thread is started" in delivery.inner_text() and "200" in delivery.inner_text()
    assert "Clinic data standards" in site.received.read_text()
    assert page.errors == []
    page.context.close()

    # Hidden from everyone else (404, as for a page that is not there), endpoints included.
    outsider = watched_page(signed_in_context(browser, server, member, **WIDTHS["1280"]))
    for path in ("/admin/webhooks", endpoint):
        response = outsider.goto(server.url + path)
        assert response.status == 404, f"{path} answers a member {response.status}"
        assert outsider.locator("form:has(#url), #signing-secret").count() == 0
        assert hook not in outsider.content()
    outsider.context.close()

    photograph(browser, server, admin, "webhooks", "/admin/webhooks", "table.webhooks")
    photograph(browser, server, admin, "webhook", endpoint, "table.deliveries")


# 4. API reference


def test_api_reference_renders_from_our_own_files(site, browser):
    """/api/docs shows Swagger UI with the operations (the thread's posts among them), every request
    going to this server only, and no script errors; on a dark page it stays readable."""
    server = site.server
    requested = []

    def check(page):
        assert page.locator("#swagger-ui [data-path='/api/v1/threads/{thread_id}/posts']").count() >= 1
        assert "Authorization: Bearer <token>" in page.inner_text("main"), "the header to send is garbled"

    def record(page):
        page.on("request", lambda request: requested.append(request.url))

    photograph(
        browser, server, None, "api-docs", "/api/docs", "#swagger-ui .opblock",
        watch=record, check=check, full_page=False,
    )  # fmt: skip
    assert any(url.endswith("/openapi.json") for url in requested), "no reference was loaded"
    outside = [url for url in requested if urlsplit(url).hostname != "127.0.0.1"]
    assert outside == [], f"the reference fetched {outside}"

    # Swagger UI's colours are for a white page: on a dark one it keeps its own light panel.
    dark = watched_page(browser.new_context(**WIDTHS["1280"], color_scheme="dark"))
    dark.goto(f"{server.url}/api/docs")
    dark.wait_for_selector("#swagger-ui .opblock")
    panel = dark.eval_on_selector("#swagger-ui", "el => getComputedStyle(el).backgroundColor")
    assert panel == "rgb(255, 255, 255)", f"the reference's dark text sits on {panel}"
    dark.screenshot(path=str(screenshot_dir() / "open-systems-api-docs-dark.png"))
    assert dark.errors == []
    dark.context.close()


# 5. Single sign-on


def test_sign_in_with_the_organisation(site, browser):
    """With single sign-on configured the sign-in page offers "Sign in with the Ministry" above the
    password form, as a target big enough to tap; following it goes through the provider and comes
    back signed in as Amina."""
    server = site.server
    photograph(browser, server, None, "login", "/auth/login", "a.sso")
    page = watched_page(browser.new_context(**WIDTHS["1280"]))
    page.goto(f"{server.url}/auth/login")
    button = page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}")
    assert button.is_visible()
    assert button.bounding_box()["height"] >= 44, "the button is too small a target"
    password_form = page.locator("form:has(#password)").bounding_box()
    assert button.bounding_box()["y"] < password_form["y"], "the button comes before the password form"
    button.click()
    page.wait_for_selector(".flash-success")
    assert urlsplit(page.url).netloc == urlsplit(server.url).netloc
    assert "Amina K." in page.inner_text(".flash-success")
    page.goto(f"{server.url}/settings")
    page.wait_for_selector("form:has(#theme)")
    assert "amina.k" in page.content()
    assert page.errors == []
