"""The sanitiser against ≥100 XSS vectors (mutation XSS, Markdown-link tricks), and whole pages that
show those vectors as post bodies, thread titles, profile fields, formal contributions (title,
summary, body, workshop details) and search results (titles and highlighted snippets)."""

import re
from pathlib import Path

import pytest
from markupsafe import escape

from app.communities.models import Community
from app.consultation.services.contributions import contribution_path
from app.core.text import plain_text, render_markdown
from app.discussions import services as discussions
from app.extensions import db
from tests.factories import DETAILS, setup_data
from tests.security.page_audit import audit_html, load_vectors
from tests.support.clients import client_for
from tests.support.pages import select

VECTORS = load_vectors(Path(__file__).parent / "xss_vectors.txt")
FORBIDDEN_TAGS = ("<script", "<iframe", "<svg", "<math", "<style", "<object", "<embed", "<img", "<form")


def test_there_are_at_least_100_vectors():
    assert len(VECTORS) >= 100
    assert len(set(VECTORS)) == len(VECTORS)


@pytest.mark.parametrize("vector", VECTORS)
def test_render_markdown_neutralises(vector):
    html = render_markdown(vector)
    assert audit_html(html) == [], html
    lowered = html.lower()
    # Escaped text (&lt;script&gt;) is harmless; no live element or link of these kinds may survive.
    for fragment in FORBIDDEN_TAGS:
        assert fragment not in lowered, html
    for href in re.findall(r'href="([^"]*)"', html):
        assert not href.lower().lstrip().startswith(("javascript:", "data:", "vbscript:")), html


@pytest.mark.parametrize("vector", VECTORS)
def test_plain_text_is_text(vector):
    """Snippets and notifications use plain_text(): once escaped for HTML it holds no element."""
    assert audit_html(str(escape(plain_text(vector)))) == []
    assert "<" not in str(escape(plain_text(vector)))


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


PROBE = "xssprobe"  # one word every document below holds, so one search lists them all


def _summary_for(vector: str) -> str:
    return f"{vector[:980]} {PROBE}".strip()


def test_vectors_in_contributions_and_search_results_do_not_reach_pages(app):
    """Every vector as a contribution's title, summary, body and workshop details, and as a thread's
    title and opening post; then the contribution pages, the listing and every search result page."""
    with setup_data(app) as build:
        consultation = build.consultation(slug="xss")
        author = build.user("xss-author")
        health = db.session.execute(db.select(Community).filter_by(slug="c7-e-health")).scalar_one()
        paths = []
        for number, vector in enumerate(VECTORS):
            details = dict(DETAILS["workshop"], policy_questions=vector, remote_participation=vector)
            contribution = build.contribution(
                consultation,
                author=author,
                kind="workshop",
                state="accepted" if number % 2 else "submitted",
                title=_title_for(vector),
                summary=_summary_for(vector),
                body=f"{vector}\n\n{PROBE} {vector}",
                details=details,
            )
            paths.append(contribution_path(contribution))
            discussions.start_thread(health, author, _title_for(vector), f"{vector} {PROBE} {vector}")
        admin = consultation.test_admin
    viewers = {
        "admin": client_for(app, admin),
        "author": client_for(app, author),
        "anonymous": client_for(app),
    }
    for url in paths + ["/consultations/xss/contributions", "/consultations/xss"]:
        for name, client in viewers.items():
            response = client.get(url)
            assert response.status_code in (200, 404), (name, url)
            assert audit_html(response.get_data(as_text=True)) == [], (name, url)
    for name, client in viewers.items():
        seen, page = 0, 1
        while True:
            response = client.get("/search", query_string={"q": PROBE, "page": page})
            assert response.status_code == 200, (name, page)
            html = response.get_data(as_text=True)
            assert audit_html(html) == [], (name, page)
            found = len(select(html, ".search-result"))
            if not found:
                break
            seen, page = seen + found, page + 1
        # every thread, and the contributions each viewer may see (accepted ones add a discussion thread)
        expected = {"admin": 2 * len(VECTORS), "author": 2 * len(VECTORS), "anonymous": len(VECTORS) * 3 // 2}
        assert seen >= expected[name], (name, seen)
