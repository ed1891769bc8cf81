"""Supports: a member backs a formal contribution or a proposal thread, once, and may withdraw until
supports close; counts are kept by stakeholder group for the item's page, the final brief's
statistics and the exports.

A domain registers each kind of item that takes supports (`register_target("contribution", load,
can_support, is_open, community_id)`): who may support it, and whether supports are still open (they
close with the item's phase). This package keeps the rows, the counts and the audit trail.
"""

from flask import Blueprint, Flask

bp = Blueprint("supports", __name__, url_prefix="/supports")


def init_app(app: Flask) -> None:
    from app.supports import audit, models, routes  # noqa: F401  (the table; the routes attach to bp)
    from app.supports.services import STAKEHOLDER_ORDER, group_label

    audit.register()
    app.register_blueprint(bp)
    app.jinja_env.globals.update(support_group_label=group_label, support_groups=STAKEHOLDER_ORDER)
