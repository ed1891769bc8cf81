"""Stylesheets mirror for right-to-left pages and keep focus, motion and skip-link rules."""

import re
from pathlib import Path

import pytest

CSS_DIR = Path(__file__).resolve().parents[2] / "static" / "css"
PHYSICAL = re.compile(
    r"(?<![\w-])(?:(?:margin|padding|border)-(?:left|right)(?:-\w+)?|left|right)\s*:"
    r"|(?:text-align|float|clear)\s*:\s*(?:left|right)\b"
    r"|border-(?:top|bottom)-(?:left|right)-radius\s*:"
)
STYLESHEETS = sorted(CSS_DIR.glob("*.css"))


def without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def test_the_check_catches_physical_properties():
    assert PHYSICAL.search("a { margin-left: 1rem }")
    assert PHYSICAL.search("a { text-align: right }")
    assert PHYSICAL.search("a { left: 0 }")
    assert not PHYSICAL.search("a { margin-inline-start: 1rem; inset-inline-start: 0; text-align: start }")


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=lambda path: path.name)
def test_only_logical_properties(stylesheet):
    css = without_comments(stylesheet.read_text(encoding="utf-8"))
    found = [match.group(0) for match in PHYSICAL.finditer(css)]
    assert not found, (
        f"{stylesheet.name}: use logical properties (margin-inline-start, inset-inline-end…): {found}"
    )


def test_focus_is_visible_and_motion_can_be_reduced():
    css = without_comments((CSS_DIR / "majlis.css").read_text(encoding="utf-8"))
    assert re.search(r":focus-visible[^{]*\{[^}]*outline:\s*3px solid", css)
    assert re.search(
        r"prefers-reduced-motion:\s*reduce\)\s*\{[^}]*\.post\.fresh\s*\{\s*animation:\s*none", css
    )
    assert ".skip-link:focus" in css


def test_skip_link_comes_first_and_targets_main(client):
    html = client.get("/").get_data(as_text=True)
    body = html[html.index("<body") :]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'class="skip-link" href="#main"' in first_link
    assert '<main id="main" tabindex="-1">' in html


def test_tree_branches_collapse_with_the_keyboard(client, make):
    thread = make.thread()
    make.reply(thread, parent=make.opening_post(thread))
    html = client.get(f"/t/{thread.id}?view=tree").get_data(as_text=True)
    assert '<details class="branch" open>' in html and "<summary>" in html
