"""Administrators' webhook pages: the endpoints, a new one, and each one's delivery log."""

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.core.fields import CheckboxList
from app.core.permissions import require
from app.core.refusals import write
from app.extensions import db
from app.webhooks import services
from app.webhooks.models import WebhookDelivery, WebhookEndpoint

bp = Blueprint("webhooks", __name__)

LOG_SHOWN = 50


class EndpointForm(FlaskForm):
    url = StringField(
        _l("Address"), validators=[DataRequired(), Length(max=500)],
        description=_l("The https:// address that receives a POST for each event."),
    )  # fmt: skip
    events = CheckboxList(_l("Events to send"), validators=[DataRequired(_l("Choose at least one event."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events.choices = [(event.name, str(event.label)) for event in services.events()]


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    require(WebhookEndpoint.can_manage(current_user), hide=True)
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        abort(404)
    return endpoint


def _list_page(form):
    endpoints = db.session.execute(db.select(WebhookEndpoint).order_by(WebhookEndpoint.id)).scalars().all()
    return render_template("webhooks/index.html", endpoints=endpoints, form=form, events=services.events())


@bp.route("/admin/webhooks", methods=["GET", "POST"])
@login_required
def index():
    """The endpoints, and a form to register one."""
    require(WebhookEndpoint.can_manage(current_user), hide=True)
    form = EndpointForm()
    actor = current_user._get_current_object()
    return write(
        form, lambda: services.add_endpoint(actor, form.url.data, form.events.data),
        render=lambda: _list_page(form), success=lambda endpoint: url_for("webhooks.show", endpoint_id=endpoint.id),
        message=_("The endpoint is registered. Its secret is below: use it to check the signatures."), field="url",
    )  # fmt: skip


@bp.route("/admin/webhooks/<int:endpoint_id>")
@login_required
def show(endpoint_id):
    """An endpoint: its secret, its events and its latest deliveries with the answers they got."""
    endpoint = _endpoint(endpoint_id)
    deliveries = db.session.execute(
        db.select(WebhookDelivery).filter_by(endpoint_id=endpoint.id).order_by(WebhookDelivery.id.desc()).limit(LOG_SHOWN)
    ).scalars().all()  # fmt: skip
    labels = {event.name: event.label for event in services.events()}
    return render_template("webhooks/show.html", endpoint=endpoint, deliveries=deliveries, labels=labels)


@bp.route("/admin/webhooks/<int:endpoint_id>/enable", methods=["POST"])
@login_required
def enable(endpoint_id):
    """Take a disabled endpoint back; what it missed goes out again."""
    endpoint = _endpoint(endpoint_id)
    actor = current_user._get_current_object()
    return write(
        None, lambda: services.enable_endpoint(endpoint, actor),
        success=url_for("webhooks.show", endpoint_id=endpoint.id), message=_("The endpoint is enabled again."),
    )  # fmt: skip


@bp.route("/admin/webhooks/<int:endpoint_id>/remove", methods=["POST"])
@login_required
def remove(endpoint_id):
    """Remove an endpoint and its delivery log."""
    endpoint = _endpoint(endpoint_id)
    actor = current_user._get_current_object()
    return write(
        None, lambda: services.remove_endpoint(endpoint, actor), success=url_for("webhooks.index"),
        message=_("The endpoint is removed."), category="info",
    )  # fmt: skip


@bp.route("/admin/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver", methods=["POST"])
@login_required
def redeliver(endpoint_id, delivery_id):
    """Send one delivery again."""
    endpoint = _endpoint(endpoint_id)
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.endpoint_id != endpoint.id:
        abort(404)
    return write(
        None, lambda: services.redeliver(delivery), success=url_for("webhooks.show", endpoint_id=endpoint.id),
        message=_("The delivery is sent again."),
    )  # fmt: skip
