"""Markdown rendering and the sanitiser, against a golden file of XSS vectors."""

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.core.text import LINK_REL, find_mentions, plain_text, render_markdown

GOLDEN = Path(__file__).parent / "golden"
VECTORS = [line for line in (GOLDEN / "xss_vectors.txt").read_text().split("\n") if line.strip()]
# Multi-line vector: a fenced code block.
VECTORS.append("```html\n<script>alert(1)</script>\n```")
EXPECTED_FILE = GOLDEN / "xss_expected.json"

SAFE_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
             "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul"}  # fmt: skip
SAFE_ATTRIBUTES = {"href", "title", "rel", "align"}


class TagAudit(HTMLParser):
    """Collects what a browser would see as real elements, attributes and link targets."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in SAFE_TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            if name not in SAFE_ATTRIBUTES:
                self.problems.append(f"attribute {name}")
            if name == "href":
                scheme = re.sub(r"[\x00-\x20]", "", value or "").split(":", 1)
                if (
                    len(scheme) == 2
                    and "/" not in scheme[0]
                    and scheme[0].lower() not in ("http", "https", "mailto")
                ):
                    self.problems.append(f"href {value}")


def audit(html):
    parser = TagAudit()
    parser.feed(html)
    return parser.problems


def test_golden_file_has_enough_vectors():
    assert len(VECTORS) >= 30


@pytest.mark.parametrize("vector", VECTORS)
def test_vector_is_neutralised(vector):
    html = render_markdown(vector)
    # Escaped text (&lt;script&gt;) is harmless: only real elements, attributes and links count.
    assert audit(html) == [], (vector, html)


def test_vectors_render_exactly_as_recorded():
    """Any change in sanitiser output is a deliberate decision: MAJLIS_UPDATE_GOLDEN=1 records it."""
    rendered = {vector: render_markdown(vector) for vector in VECTORS}
    if os.environ.get("MAJLIS_UPDATE_GOLDEN") == "1" or not EXPECTED_FILE.exists():
        EXPECTED_FILE.write_text(json.dumps(rendered, ensure_ascii=False, indent=1, sort_keys=True))
    expected = json.loads(EXPECTED_FILE.read_text())
    assert rendered == expected


def test_markdown_basics():
    html = render_markdown("**bold** *it* `code`\n\n> quote\n\n- a\n- b")
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html and "<code>code</code>" in html
    assert "<blockquote>" in html and "<li>a</li>" in html


def test_links_get_rel_and_bare_urls_are_linkified():
    html = render_markdown("[site](https://example.org) and https://www.itu.int/net4/wsis/forum")
    assert html.count(f'rel="{LINK_REL}"') == 2
    assert 'href="https://www.itu.int/net4/wsis/forum"' in html


def test_raw_html_is_shown_as_text_not_markup():
    assert "&lt;b&gt;hi&lt;/b&gt;" in render_markdown("<b>hi</b>")


def test_mentions_link_only_existing_users():
    html = render_markdown("hello @amina and @ghost", mention_exists=lambda name: name == "amina")
    assert '<a href="/u/amina"' in html and "@ghost" in html and "/u/ghost" not in html
    assert find_mentions("hi @amina, @bob_2!") == {"amina", "bob_2"}
    assert "/u/amina" not in render_markdown("`@amina`", mention_exists=lambda name: True)


def test_plain_text_strips_markup():
    assert plain_text("**Bold** [link](https://x.org)\n\n# Title") == "Bold link Title"


def test_plain_text_is_exactly_what_stripping_every_tag_with_bleach_leaves():
    """plain_text removes the renderer's own tags without parsing HTML; fuzzed Markdown, raw HTML,
    entities and scripts included, it gives what bleach's stripping gave."""
    import random
    import re

    import bleach

    from app.core.text import _markdown

    rng = random.Random(3)
    alphabet = list("ab *_`[]()<>&\"'#>-|\n\\!~\u00a0")
    samples = [
        '**b** `code <x>` [l](http://a.b/?q=1&r=2 "t") <script>alert(1)</script> & "q" &copy; &#39; &lt;',
        "# H\n\n> quote\n\n- a\n\n```\npre <b>\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        '<!-- c --> <div>x</div> ![i](x.png "ti>tle") ~~del~~ [a](<b>c>) مرحبا 中文',
    ] + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    for source in samples:
        stripped = bleach.clean(_markdown().render(source), tags=set(), strip=True)
        assert plain_text(source) == re.sub(r"\s+", " ", stripped).strip(), source
