"""Support an item or withdraw a support: load → authorise → service → one commit → back to the item."""

from flask import abort, current_app
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.ratelimits import per_member
from app.core.refusals import write
from app.supports import bp, services


def _item(kind: str, item_id: int):
    """The item, or 404 (also when the member may not see it); 403 when they may not support it."""
    registered = services.target(kind)
    item = registered.load(item_id) if registered is not None else None
    if item is None or not registered.can_view(item, current_user):
        abort(404)
    if not registered.can_support(item, current_user):
        abort(403)
    return registered, item


@bp.route("/<kind>/<int:item_id>", methods=["POST"])
@login_required
@per_member(lambda: current_app.config["RATELIMIT_SUPPORT"])
def support(kind, item_id):
    """Support a contribution or a proposal."""
    registered, item = _item(kind, item_id)
    return write(
        None, lambda: services.support(kind, item, current_user._get_current_object()),
        success=registered.url(item), message=_("You support this."),
    )  # fmt: skip


@bp.route("/<kind>/<int:item_id>/withdraw", methods=["POST"])
@login_required
@per_member(lambda: current_app.config["RATELIMIT_SUPPORT"])
def withdraw(kind, item_id):
    """Withdraw a support while supports are open (an attempt after the close is recorded)."""
    registered, item = _item(kind, item_id)
    return write(
        None, lambda: services.withdraw(kind, item, current_user._get_current_object()),
        success=registered.url(item), message=_withdrawal_message,
        category="info",
    )  # fmt: skip


def _withdrawal_message(withdrawn: bool) -> str:
    return _("Your support is withdrawn.") if withdrawn else _("Supports are closed: yours stays counted.")
