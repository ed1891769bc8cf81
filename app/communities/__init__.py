"""Knowledge communities, one per WSIS Action Line."""

from flask import Blueprint, Flask

bp = Blueprint("communities", __name__)


def init_app(app: Flask) -> None:
    """Register the communities blueprint."""
    from app.communities import routes  # noqa: F401  (the routes attach to bp)

    app.register_blueprint(bp)
