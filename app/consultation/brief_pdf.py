"""The final brief as a PDF: the brief's own print template turned into pages by WeasyPrint (Pango
lays out Arabic right to left and shapes it; fontconfig finds Debian's Noto fonts for every script).

Nothing outside the document is fetched while rendering: user text may name any address in an image,
and the server must not be made to ask for it (only `data:` URLs are read).

A PDF takes seconds (bench/brief.py: about 2 s in English, 4 s in Arabic or Chinese) where its HTML
takes milliseconds, so each process keeps the PDFs it made under the digest of their HTML: a reader
who sees the same brief in the same language gets the same file at once, and whatever changes what a
reader sees (a correction, moderation, a withdrawal, new figures) changes the HTML and so the key."""

import hashlib
import logging
import threading
from collections import OrderedDict

logger = logging.getLogger(__name__)

CACHE_BYTES = 32 * 1024 * 1024
_made: OrderedDict[str, bytes] = OrderedDict()
_made_lock = threading.Lock()


class PdfUnavailable(Exception):
    """WeasyPrint's system libraries (Pango) are missing on this server."""


def render(html: str) -> bytes:
    """The PDF of `html`, made once per process for the same HTML."""
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    with _made_lock:
        if key in _made:
            _made.move_to_end(key)
            return _made[key]
    document = _write_pdf(html)
    with _made_lock:
        _made[key] = document
        while sum(len(kept) for kept in _made.values()) > CACHE_BYTES and len(_made) > 1:
            _made.popitem(last=False)
    return document


def _write_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except OSError as error:  # Pango or its fonts' libraries are not installed
        logger.error("PDF rendering unavailable: %s", error)
        raise PdfUnavailable(str(error)) from None
    fetcher = URLFetcher(allowed_protocols=("data",), timeout=1)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
