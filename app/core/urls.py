"""URL helpers every domain uses."""

from urllib.parse import urljoin, urlsplit

from flask import request


def safe_next(target: str | None) -> str | None:
    """`target` if it stays on this site, else None (no open redirects)."""
    if not target or "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    host = urlsplit(request.host_url)
    parts = urlsplit(urljoin(request.host_url, target))
    if parts.scheme not in ("http", "https") or parts.netloc != host.netloc:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    return target
