"""Turning domain signals into room events (filled in by the live-updates work)."""


def register(app):
    """Connect signal subscribers and after-commit handlers."""
