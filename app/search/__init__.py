"""Full-text search (filled in by the search work)."""


def init_app(app):
    """Register the search blueprint, CLI and indexing hooks."""
