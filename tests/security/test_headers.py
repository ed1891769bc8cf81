"""Security headers, a CSP without inline scripts, and cookie settings."""

import re

import pytest

from app import create_app
from config import TestConfig
from tests.security.page_audit import audit_html

PAGES = ["/", "/c/c7-e-health", "/auth/login", "/auth/register", "/no-such-page"]


def _csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("url", PAGES)
def test_security_headers_on_every_page(client, url):
    response = client.get(url)
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = _csp_directives(headers["Content-Security-Policy"])
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts == ["'self'"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"].split("style-src")[0]
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]


def test_pages_have_no_inline_scripts_or_handlers(app, client, auth, make):
    """The CSP forbids inline script, so the pages must not need any."""
    thread = make.thread()
    auth.login(make.admin())
    for url in PAGES + [f"/t/{thread.id}", "/moderation", "/moderation/log", f"/moderation/t/{thread.id}",
                        "/settings", "/moderation/c/c7-e-health"]:  # fmt: skip
        html = client.get(url).get_data(as_text=True)
        assert audit_html(html) == [], url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url


def test_session_cookie_flags(app, client, make):
    make.user("amina", password="the right password")
    response = client.post("/auth/login", data={"username": "amina", "password": "the right password"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookies_and_hsts_when_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    config = TestConfig(tmp_path)
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE
    app = create_app(config)
    response = app.test_client().get("/auth/login", base_url="https://localhost")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
