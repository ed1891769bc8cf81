"""What a reader sees of a page: its text, without tags or scripts, whitespace collapsed."""

from html.parser import HTMLParser


class _TextCollector(HTMLParser):
    SKIPPED = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's text as a reader sees it: `<bdi>`, `<b>` and other inline tags do not split words."""
    collector = _TextCollector()
    collector.feed(html)
    return " ".join("".join(collector.parts).split())
