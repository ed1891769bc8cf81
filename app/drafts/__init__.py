"""Drafts: what a member is writing, saved on the server as they type, so a closed tab, another
device or a sign-in after the session ran out gives it back.

Infrastructure: it imports no domain. A domain registers each kind of place one writes in
(`register_place("reply", load, can_write, fields)`: a reply in a thread, a new thread in a community,
a contribution to a consultation); one draft per member and place. The domain discards the draft when
what it held is sent (`discard(user, kind, target_id)`, in the same transaction).
"""

from flask import Blueprint, Flask

from app.drafts.services import discard, register_place

__all__ = ["bp", "discard", "init_app", "register_place"]

bp = Blueprint("drafts", __name__, url_prefix="/drafts")


def init_app(app: Flask) -> None:
    from app.core import page_cache
    from app.drafts import models, routes  # noqa: F401  (the drafts table; the routes attach to bp)

    page_cache.register_private_tables("drafts")
    app.register_blueprint(bp)
