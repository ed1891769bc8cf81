"""A C7 sub-line is named once ("C7 E-health"), never "C7 — C7 E-health", on every page that lists one."""

import re
from datetime import datetime

import pytest

from tests.factories import setup_data
from tests.support.clients import client_for
from tests.support.pages import select_one

# A sub-line's code ("C7 e-health") followed by its name ("C7 E-health", "C7 Cybersanté").
NAMED_TWICE = re.compile(r"C7 e-[\w-]+[ —–·:-]*C7\b", re.I)


def _text(html: str) -> str:
    """The page's text, title and select options included, one line per element's text."""
    return re.sub(r"[ \t]+", " ", re.sub(r"<[^>]+>", "\n", html))


def _without_breadcrumbs(html: str) -> str:
    """Breadcrumbs are a trail of separate links ("C7 › …") ahead of the heading."""
    return re.sub(r'<nav class="breadcrumbs".*?</nav>', "", html, flags=re.S)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_page_names_a_sub_line_twice(app, make, language):
    thread = make.thread("c7-e-health")
    with setup_data(app) as build:
        consultation = build.consultation(slug="open", deadline_local=datetime(2099, 1, 1))
        admin = consultation.test_admin
    client = client_for(app, admin)
    pages = [
        "/", "/c/c7-e-health", "/c/c7-e-health/new", f"/t/{thread.id}", "/moderation",
        f"/moderation/t/{thread.id}", "/consultations/open/contribute/thematic", "/consultations/open/brief/edit",
    ]  # fmt: skip
    for url in pages:
        response = client.get(url, headers={"Accept-Language": language})
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        text = _text(_without_breadcrumbs(html))
        assert not NAMED_TWICE.search(text), (url, NAMED_TWICE.search(text).group(0))
        assert "C7 E-health" in _text(html) or "C7 Cybersanté" in _text(html), url


def test_a_sub_line_page_title_names_it_once(client):
    html = client.get("/c/c7-e-health").get_data(as_text=True)
    assert select_one(html, "title").text.startswith("C7 E-health")
    assert select_one(client.get("/c/c1").get_data(as_text=True), "title").text.startswith("C1 ")
