"""The open consultation (filled in by the consultation work)."""


def init_app(app):
    """Register the consultation blueprint, CLI and hooks."""
