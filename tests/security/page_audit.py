"""What a browser would treat as script in a page: the checks shared by the security tests."""

import re
from html.parser import HTMLParser

# <svg> is absent: the app's own icons use it; any attribute on it is still checked below.
DANGEROUS_TAGS = {"iframe", "math", "object", "embed", "style", "base", "frame", "frameset", "portal"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "cite", "data", "poster"}
SAFE_SCHEMES = {"http", "https", "mailto"}


def _scheme(value: str) -> str | None:
    cleaned = re.sub(r"[\x00-\x20]", "", value or "")
    head, sep, _rest = cleaned.partition(":")
    if not sep or "/" in head or "?" in head or "#" in head:
        return None
    return head.lower()


class PageAudit(HTMLParser):
    """Collects real elements and attributes that could run script, from a whole page."""

    def __init__(self, allow_style_attribute=False):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.allow_style_attribute = allow_style_attribute

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append("inline or foreign <script>")
        href = attributes.get("href") or ""
        feed = attributes.get("rel") == "alternate" and attributes.get("type") == "application/atom+xml"
        if tag == "link" and not (
            href.startswith("/static/") or (feed and href.startswith("/") and not href.startswith("//"))
        ):
            self.problems.append("foreign <link>")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name == "style" and not self.allow_style_attribute:
                self.problems.append(f"{tag} style=")
            if name in URL_ATTRIBUTES:
                scheme = _scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{tag} {name}={value!r}")


def audit_html(html: str) -> list[str]:
    parser = PageAudit()
    parser.feed(html)
    parser.close()
    return parser.problems


def load_vectors(path) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return [line.replace("\\n", "\n") for line in lines if line.strip() and not line.startswith("#:")]
