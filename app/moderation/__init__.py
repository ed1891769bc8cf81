"""Moderation (filled in by the moderation work)."""


def init_app(app):
    """Register the moderation blueprint, posting rules and hooks."""
