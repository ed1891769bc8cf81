"""Reading rendered pages: the <html> attributes and the text a reader sees."""

import re
from html.parser import HTMLParser

SWITCHER = re.compile(r'<form class="language-switcher".*?</form>', re.S)
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}


def html_attributes(html: str) -> dict:
    match = re.search(r"<html([^>]*)>", html)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(1))) if match else {}


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        self.parts.extend(value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """Text nodes and user-facing attributes, without the language switcher (it names every language)."""
    parser = _Visible()
    parser.feed(SWITCHER.sub("", html))
    parser.close()
    return re.sub(r"\s+", " ", " ".join(parts.strip() for parts in parser.parts))
