"""The consultation blueprint. Routes are split by audience, as Indico does:
public pages (`public`), writing contributions (`contribute`), meetings (`meetings`), the brief and
exports (`brief`), review (`review`) and administration (`manage`)."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from app.consultation.models import Consultation, Contribution, Meeting
from app.core.permissions import require
from app.core.refusals import write
from app.extensions import db

bp = Blueprint("consultation", __name__)


def load_consultation(slug) -> Consultation:
    """The consultation at `slug`, or 404."""
    consultation = db.session.execute(db.select(Consultation).filter_by(slug=slug)).scalar_one_or_none()
    if consultation is None:
        abort(404)
    return consultation


def load_contribution(consultation, contribution_id) -> Contribution:
    """A contribution of this consultation that the user may see; 404 otherwise (existence not revealed)."""
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or contribution.consultation_id != consultation.id:
        abort(404)
    require(contribution.can_view(current_user), hide=True)
    return contribution


def guarded_page(endpoint: str, rule: str, *, allowed, template: str, doc: str, **context) -> None:
    """Serve a consultation's page that only some may open (signed in): 404 without the
    consultation, 403 unless `allowed(consultation, user)`. Callable `context` values are given the
    consultation and the user."""

    def view(slug):
        consultation = load_consultation(slug)
        require(allowed(consultation, current_user))
        values = {
            name: value(consultation, current_user) if callable(value) else value
            for name, value in context.items()
        }
        return render_template(template, consultation=consultation, **values)

    view.__name__ = view.__qualname__ = endpoint
    view.__doc__ = doc
    bp.add_url_rule(rule, endpoint, login_required(view))


def owned_or_404(model, consultation, row_id):
    """The `model` row `row_id` if it belongs to this consultation; 404 otherwise."""
    row = db.session.get(model, row_id)
    if row is None or row.consultation_id != consultation.id:
        abort(404)
    return row


def load_meeting(consultation, meeting_id) -> Meeting:
    return owned_or_404(Meeting, consultation, meeting_id)


def register_editor(
    model, name: str, *, allow, make_form, data, save, template, success, message=None, doc=""
):
    """One page that adds a `model` row to a consultation (`/<slug>/<name>s/new`) or changes one
    (`/<slug>/<name>s/<id>/edit`): GET shows the form, filled from `data(row)` when editing; POST
    saves through `save(consultation, row, form)` and goes to `success(consultation, result)`."""

    def view(slug, **row_id):
        row_id = row_id.get(f"{name}_id")
        consultation = load_consultation(slug)
        require(allow(consultation))
        row = owned_or_404(model, consultation, row_id) if row_id else None
        form = make_form(consultation, data=data(row) if row and request.method == "GET" else None)
        return write(
            form,
            lambda: save(consultation, row, form),
            render=lambda: render_template(template, consultation=consultation, form=form, **{name: row}),
            success=lambda result: success(consultation, result),
            message=message,
        )

    view.__name__ = view.__qualname__ = f"edit_{name}"
    view.__doc__ = doc
    view = login_required(view)
    bp.add_url_rule(f"/consultations/<slug>/{name}s/new", view.__name__, view, methods=["GET", "POST"])
    rule = f"/consultations/<slug>/{name}s/<int:{name}_id>/edit"
    bp.add_url_rule(rule, view.__name__, view, methods=["GET", "POST"])


def find_by_reference(consultation, reference):
    """The non-draft contribution with this reference in this consultation, or None."""
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    return db.session.execute(
        db.select(Contribution).filter_by(consultation_id=consultation.id, reference=reference)
    ).scalar_one_or_none()


from app.consultation.routes import brief, calendars, contribute, feeds, manage, meetings, public, review  # noqa: E402, F401
