"""A place's draft for the page's script: read it, save it as the member types, throw it away."""

from flask import abort, current_app, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.ratelimits import per_member
from app.core.time import isoformat
from app.drafts import bp, services
from app.extensions import db

NO_STORE = {"Cache-Control": "no-store"}


def _writable_place(kind: str, target_id: int):
    """404 for a place that is not registered or does not exist; 403 where the member may not write."""
    place = services.place(kind)
    target = place.load(target_id) if place is not None else None
    if target is None or (place.can_view is not None and not place.can_view(target, current_user)):
        abort(404)
    if not place.can_write(target, current_user):
        abort(403)
    return place


def _answer(draft):
    if draft is None:
        return {"draft": None}, 200, NO_STORE
    saved = {
        "fields": draft.fields, "updated_at": isoformat(draft.updated_at),
        "saved_label": _("Draft saved."),
    }  # fmt: skip
    return {"draft": saved}, 200, NO_STORE


@bp.route("/<kind>/<int:target_id>")
@login_required
def show(kind, target_id):
    """The member's draft for a place, or null."""
    _writable_place(kind, target_id)
    return _answer(services.draft_of(current_user, kind, target_id))


@bp.route("/<kind>/<int:target_id>", methods=["POST"])
@login_required
@per_member(lambda: current_app.config["RATELIMIT_DRAFT"])
def save(kind, target_id):
    """Keep the form's fields as the member's draft (sent by the page's script, debounced)."""
    _writable_place(kind, target_id)
    if sum(len(value) for value in request.form.values()) > services.DRAFT_MAX_CHARS:
        abort(413)
    fields = services.kept_fields(kind, request.form.to_dict(flat=False))
    draft = services.save(current_user, kind, target_id, fields)
    db.session.commit()
    return _answer(draft)


@bp.route("/<kind>/<int:target_id>/discard", methods=["POST"])
@login_required
def discard(kind, target_id):
    """Throw the draft away (the page's "Discard draft")."""
    _writable_place(kind, target_id)
    services.discard(current_user, kind, target_id)
    db.session.commit()
    return {"draft": None}, 200, NO_STORE
