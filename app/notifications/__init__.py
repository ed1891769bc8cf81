"""In-app notifications: stored rows, pushed live to the user's room."""


def init_app(app):
    """Register the notifications blueprint and signal subscribers."""
