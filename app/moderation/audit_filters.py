"""The audit log as a viewer may read it, narrowed by the filter form (issue 20).

Every query starts from the entries the viewer may read (`readable_entries`) and each filter only adds
a condition to it, so no value sent reaches another community's entries or a consultation's internal
notes. The form offers the viewer's own choices (their communities, the people in their entries) and
refuses any other value with a sentence on the page.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import get_timezone
from flask_babel import gettext as _

from app.auth.models import User
from app.core import audit
from app.core.audit import AuditEntry
from app.core.database import parse_id
from app.extensions import db
from app.moderation.forms import AuditFilterForm, ListChoiceField
from app.moderation.services.review import moderated_ids_with_children


def readable_entries(user):
    """Administrators read every entry; others their communities' and their own, and their audiences'."""
    open_clause = db.or_(
        AuditEntry.community_id.in_(moderated_ids_with_children(user)), AuditEntry.actor_id == user.id
    )
    return db.select(AuditEntry).where(audit.readable_clause(user, open_clause))


def filter_form(viewer, args) -> AuditFilterForm:
    """The filter form read from `args`, its choices those of `viewer`, one field per registered scope."""
    scopes = audit.registered_scopes()
    form_class = type(
        "AuditFilters", (AuditFilterForm,), {name: ListChoiceField(s.label) for name, s in scopes.items()}
    )
    form = form_class(formdata=args)
    form.actor.choices = [("", _("Anyone"))] + _actor_choices(viewer)
    actions = sorted(
        ((action, audit.action_label(action)) for action in audit.registered_actions()), key=lambda a: a[1]
    )
    form.action.choices = [("", _("Any action"))] + actions
    for name, scope in scopes.items():
        form[name].choices = [("", _("All"))] + [(str(key), label) for key, label in scope.choices(viewer)]
    form.scope_fields = [form[name] for name in scopes]
    return form


def _actor_choices(viewer) -> list[tuple[str, str]]:
    """The people who acted in the entries `viewer` may read."""
    actors = (
        readable_entries(viewer)
        .where(AuditEntry.actor_id.is_not(None))
        .with_only_columns(AuditEntry.actor_id)
    )
    people = db.session.execute(db.select(User).where(User.id.in_(actors.distinct())).order_by(User.username))
    return [(str(person.id), person.username) for person in people.scalars()]


def filtered_entries(viewer, form):
    """SQL: the entries `viewer` may read that a validated `form` asks for, newest first."""
    query = readable_entries(viewer)
    if form.actor.data:
        query = query.where(AuditEntry.actor_id == parse_id(form.actor.data))
    if form.action.data:
        query = query.where(AuditEntry.action == form.action.data)
    if form.member_user is not None:
        query = query.where(AuditEntry.target_type == "user", AuditEntry.target_id == form.member_user.id)
    for name, scope in audit.registered_scopes().items():
        if form[name].data:
            query = query.where(scope.clause(parse_id(form[name].data)))
    start = _day_start(form.date_from.data)
    end = _day_start(form.date_to.data, days_after=1)
    if start is not None:
        query = query.where(AuditEntry.created_at >= start)
    if end is not None:
        query = query.where(AuditEntry.created_at < end)
    return query.order_by(AuditEntry.id.desc())


def _viewer_zone():
    try:
        return ZoneInfo(str(get_timezone() or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _day_start(day, days_after: int = 0) -> datetime | None:
    """Midnight starting `day` (plus `days_after`) in the viewer's time zone, as naive UTC; None for no
    day, or one so far off that it bounds nothing (year 1 or 9999)."""
    if day is None:
        return None
    try:
        local = datetime.combine(day + timedelta(days=days_after), time(), tzinfo=_viewer_zone())
        return local.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        return None


def filter_arguments(args) -> dict:
    """The page's query arguments that name a filter, for links to other pages and the export."""
    return {name: value for name, value in args.items() if name != "page" and value}
