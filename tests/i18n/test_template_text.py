"""Templates hold no user-facing text outside translation calls."""

import re
from html.parser import HTMLParser

import pytest

from tests.i18n.catalogs import TEMPLATES

JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
TRANS_BLOCK = re.compile(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", re.S)
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
LETTER = re.compile(r"[^\W\d_]")
USER_FACING_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "label"}
# Names that are the same in every language (brand, time standard, file formats) may stay outside _().
ALLOWED = {"Majlis", "UTC", "CSV", "JSON"}
# Query syntax, code and keys are not translated.
VERBATIM_ELEMENTS = {"script", "style", "code", "kbd", "samp", "pre"}


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in VERBATIM_ELEMENTS:
            self._skip += 1
        for name, value in attrs:
            if name in USER_FACING_ATTRIBUTES and value and LETTER.search(value):
                self.found.append(f'{tag} {name}="{value}"')
            if tag == "input" and name == "value" and LETTER.search(value or ""):
                if dict(attrs).get("type") in ("submit", "button", "reset"):
                    self.found.append(f'input value="{value}"')

    def handle_endtag(self, tag):
        if tag in VERBATIM_ELEMENTS and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        text = data.strip()
        if not self._skip and LETTER.search(text) and text.strip("()[]") not in ALLOWED:
            self.found.append(text)


def untranslated_text(source: str) -> list[str]:
    """Text a reader would see that does not come from a translation call or a variable."""
    stripped = JINJA_COMMENT.sub("", source)
    stripped = TRANS_BLOCK.sub("", stripped)
    stripped = JINJA_TAG.sub("", stripped)
    collector = _TextCollector()
    collector.feed(stripped)
    collector.close()
    return collector.found


def test_the_checker_finds_bare_text():
    assert untranslated_text("<p>{{ _('Hello') }}</p>") == []
    assert untranslated_text("<p>{% trans %}Hello {{ name }}{% endtrans %}</p>") == []
    assert untranslated_text("<p>{{ count }} posts</p>") == ["posts"]
    assert untranslated_text('<a title="Open">{{ _("x") }}</a>') == ['a title="Open"']
    assert untranslated_text("<p>{{ a }} · {{ b }} › #{{ c }}</p>") == []
    assert untranslated_text("<dt><code>tele*</code></dt><span>(UTC)</span>") == []


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_template_has_no_bare_text(template):
    found = untranslated_text(template.read_text(encoding="utf-8"))
    assert not found, f"wrap these in _() in {template.relative_to(TEMPLATES)}: {found}"
