"""Mail end to end, as people meet it: a real server process sends to a real SMTP server, and a
reply sent over SMTP to the site's own receiver appears live on an open thread page."""

import smtplib
import time
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
import requests

from tests.support.http import TOKEN, Visitor
from tests.support.live import chromium_browser, free_port, live_server, screenshot_dir
from tests.support.mail import SmtpSink, links_in, text_of

pytestmark = pytest.mark.browser
DOMAIN = "reply.majlis.test"


@pytest.fixture
def sink(tmp_path):
    server = SmtpSink(tmp_path / "mailbox").start()
    yield server
    server.stop()


@pytest.fixture
def server(tmp_path, sink):
    inbound = free_port()
    with live_server(
        tmp_path / "server", MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port, MAIL_REPLY_DOMAIN=DOMAIN,
        MAIL_INBOUND_PORT=inbound, MAIL_BATCH_SECONDS=0, REQUIRE_EMAIL_CONFIRMATION=1,
    ) as running:  # fmt: skip
        running.inbound_port = inbound
        yield running


def _mail_to(sink, address, marker, count=1):
    for _ in range(3):
        found = [m for m in sink.wait_for(count) if m["To"] == address and marker in text_of(m)]
        if found:
            return found[-1]
        count += 1
    raise AssertionError(f"no mail to {address} with {marker}")


def _path(link):
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _confirmed(server, sink, visitor, username):
    mail = _mail_to(sink, f"{username}@example.org", "/auth/confirm/")
    (link,) = [link for link in links_in(mail) if "/auth/confirm/" in link]
    page = visitor.http.get(server.url + _path(link), timeout=10)
    token = TOKEN.search(page.text).group(1)
    answer = visitor.http.post(server.url + _path(link), data={"csrf_token": token}, timeout=10)
    assert "is confirmed" in answer.text
    return visitor


def test_register_confirm_and_reset_a_forgotten_password_over_real_smtp(server, sink):
    amina = Visitor(server.url).register("amina")
    new_thread = amina.http.get(server.url + "/c/c7-e-health/new", timeout=10)
    assert "post once it is confirmed" in new_thread.text
    _confirmed(server, sink, amina, "amina")
    assert "Please confirm" not in amina.http.get(server.url + "/", timeout=10).text

    stranger = Visitor(server.url)
    token = stranger.token("/auth/forgot")
    for login in ("amina@example.org", "nobody@example.org"):
        answer = stranger.http.post(
            server.url + "/auth/forgot", data={"csrf_token": token, "login": login}, timeout=10
        )
        assert "If an account matches" in answer.text
    mail = _mail_to(sink, "amina@example.org", "/auth/reset/")
    (link,) = [link for link in links_in(mail) if "/auth/reset/" in link]
    form = stranger.http.get(server.url + _path(link), timeout=10)
    token = TOKEN.search(form.text).group(1)
    new = {
        "csrf_token": token,
        "new_password": "a brand new password",
        "new_password_confirm": "a brand new password",
    }
    assert stranger.http.post(server.url + _path(link), data=new, timeout=10).ok
    assert requests.get(server.url + _path(link), timeout=10).status_code == 404  # used: dead
    assert (
        amina.http.get(server.url + "/settings", allow_redirects=False, timeout=10).status_code == 302
    )  # signed out
    fresh = Visitor(server.url)
    token = fresh.token("/auth/login")
    signed_in = fresh.http.post(
        server.url + "/auth/login", data={"csrf_token": token, "username": "amina", "password": "a brand new password"},
        allow_redirects=False, timeout=10,
    )  # fmt: skip
    assert signed_in.status_code == 302


def test_a_reply_by_mail_appears_live_on_an_open_thread_page(server, sink, tmp_path):
    amina = _confirmed(server, sink, Visitor(server.url).register("amina"), "amina")
    samir = _confirmed(server, sink, Visitor(server.url).register("samir"), "samir")
    thread_id = amina.new_thread("c7-e-health", "Clinic connectivity", "How do rural clinics get online?")
    samir.reply(thread_id, "Satellite first, then fibre.")
    notice = _mail_to(sink, "amina@example.org", "Satellite first")
    assert notice["Reply-To"].endswith("@" + DOMAIN)

    with chromium_browser() as browser:
        context = browser.new_context()
        context.add_cookies(
            [{"name": c.name, "value": c.value, "url": server.url} for c in samir.http.cookies]
        )
        page = context.new_page()
        page.goto(f"{server.url}/t/{thread_id}")
        page.wait_for_selector("#live-status[data-state='live']")

        reply = EmailMessage()
        reply["From"], reply["To"] = "amina@example.org", notice["Reply-To"]
        reply["Subject"], reply["Message-ID"] = "Re: " + notice["Subject"], "<amina-reply-1@mail.example.org>"
        quoted = "\n".join("> " + line for line in text_of(notice).splitlines())
        reply.set_content(
            f"Fibre to the district hospital first.\n\nAmina\n\nOn Monday, Majlis wrote:\n{quoted}\n"
        )
        with smtplib.SMTP("127.0.0.1", server.inbound_port, timeout=10) as smtp:
            smtp.send_message(reply)

        page.wait_for_selector("article:has-text('Fibre to the district hospital first.')", timeout=15000)
        assert "On Monday, Majlis wrote" not in page.inner_text("main")
        page.screenshot(path=str(screenshot_dir() / "mail-reply-live.png"), full_page=True)
        context.close()


def test_without_a_mail_server_the_log_shows_the_link_a_newcomer_needs(tmp_path):
    """The embedded default: the message is an .eml file, and its link is in the server's log."""
    with live_server(tmp_path / "embedded") as running:
        Visitor(running.url).register("newcomer")
        instance = tmp_path / "embedded" / "instance" / "mail"
        for _ in range(100):
            if (
                list(instance.glob("*.eml"))
                and "Mail to newcomer@example.org" in running.log_path.read_text()
            ):
                break
            time.sleep(0.1)
        log = running.log_path.read_text()
    line = next(line for line in log.splitlines() if "Mail to newcomer@example.org" in line)
    assert "Confirm your email address" in line and f"{running.url}/auth/confirm/" in line
