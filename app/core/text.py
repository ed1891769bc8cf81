"""User text: Markdown -> sanitised HTML, in one place so the sanitiser can be swapped (DESIGN.md §5).

Contributions and post revisions store the HTML rendered at write time with RENDER_VERSION; posts
store only their source and are rendered when shown (app/discussions/bodies.py), cached under a key
holding RENDER_VERSION. Bump it when the rules change.
"""

import re
import threading
from functools import lru_cache, partial

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

RENDER_VERSION = 1

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
        "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "abbr": ["title"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"
RENDERED_TAG_RE = re.compile(r"<[^>]*>")
MENTION_RE = re.compile(r"(?<![\w@/])@([A-Za-z0-9_][A-Za-z0-9_.-]{1,31}[A-Za-z0-9_]|[A-Za-z0-9_]{2})")

_local = threading.local()


def _markdown() -> MarkdownIt:
    md = getattr(_local, "markdown", None)
    if md is None:
        md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        md.enable(["table", "strikethrough"])
        md.validateLink = _safe_link
        _local.markdown = md
    return md


def _safe_link(url: str) -> bool:
    scheme = url.strip().split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    return scheme in ("", "http", "https", "mailto")


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if href.startswith("/u/"):
        attrs[(None, "rel")] = "nofollow"
        return attrs
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


def _cleaner() -> bleach.Cleaner:
    """One Cleaner per thread: bleach Cleaners are not thread-safe."""
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"})],
        )
        _local.cleaner = cleaner
    return cleaner


def _link_mentions(html: str, mention_exists) -> str:
    """Turn @username into a profile link, outside code and existing links."""
    if mention_exists is None:
        return html
    parts = re.split(r"(<pre>.*?</pre>|<code>.*?</code>|<a\b.*?</a>|<[^>]+>)", html, flags=re.S)
    for index, part in enumerate(parts):
        if index % 2 == 1 or "@" not in part:
            continue
        parts[index] = MENTION_RE.sub(
            lambda m: (
                f'<a href="/u/{m.group(1)}">@{m.group(1)}</a>' if mention_exists(m.group(1)) else m.group(0)
            ),
            part,
        )
    return "".join(parts)


def render_markdown(source: str, mention_exists=None) -> str:
    """Markdown source to sanitised HTML, safe to store and to show as is.

    `mention_exists(username) -> bool` turns @mentions of existing users into profile links.
    """
    raw_html = _markdown().render(source or "")
    html = _link_mentions(raw_html, mention_exists)
    return _cleaner().clean(html).strip()


def find_mentions(source: str) -> set[str]:
    """The usernames @mentioned in Markdown source (case preserved)."""
    return {match.group(1) for match in MENTION_RE.finditer(source or "")}


def mentions_in_order(source: str) -> list[str]:
    """The usernames @mentioned in Markdown source, lower-cased, each once, in the order first written."""
    return list(dict.fromkeys(match.group(1).lower() for match in MENTION_RE.finditer(source or "")))


@lru_cache(maxsize=4096)
def plain_text(source: str) -> str:
    """Markdown source reduced to plain text, HTML entities still escaped as the renderer leaves them.

    Safe to put in a page as is; callers that need the raw characters (the search analyzer and
    snippet builder) unescape once and escape again on output. The renderer takes no raw HTML
    (`html: False`), so every `<` in its output opens one of its own tags and removing them leaves
    exactly what bleach's stripping did, without its HTML parsing (0.45 of 0.76 ms a post). A search
    results page asks again for the same posts' text, hence the memory of the last few thousand.
    """
    html = _markdown().render(source or "")
    return re.sub(r"\s+", " ", RENDERED_TAG_RE.sub("", html)).strip()


def safe_html(stored_html: str) -> Markup:
    """Mark HTML that came out of render_markdown() as safe for templates."""
    return Markup(stored_html)


def excerpt(text: str, length: int = 200) -> Markup:
    """An escaped excerpt of plain text."""
    text = text or ""
    if len(text) > length:
        text = text[: length - 1].rstrip() + "…"
    return escape(text)
