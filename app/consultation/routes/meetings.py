"""Meetings: the public page with registration; planning, minutes and links for the secretariat."""

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.consultation import calendar, services
from app.consultation.forms import LinkForm, MeetingForm, MeetingRegistrationForm, MinutesForm
from app.consultation.models import Meeting, MeetingItem
from app.consultation.routes import bp, find_by_reference, load_consultation, load_meeting, register_editor
from app.consultation.timezones import to_local, to_utc
from app.core.actions import FormActions
from app.core.permissions import require
from app.core.refusals import write
from app.core.time import utcnow
from app.discussions.models import Thread
from app.extensions import db

MEETING_FIELDS = ("title", "format", "place", "remote_url", "capacity", "agenda", "phase_id")


def _meeting_url(meeting):
    return url_for("consultation.show_meeting", slug=meeting.consultation.slug, meeting_id=meeting.id)


def render_meeting(consultation, meeting, status=200, **forms):
    minutes_form = forms.get("minutes_form") or MinutesForm(
        formdata=None,
        data={"minutes": meeting.minutes_source or "", "other_attendees": meeting.other_attendees,
              "attended": [r.user_id for r in meeting.registrations if r.attended]},
    )  # fmt: skip
    minutes_form.attended.choices = [(r.user_id, r.user.name) for r in meeting.registrations]
    visible_items = [item for item in meeting.items if _item_visible(item)]
    return render_template(
        "consultation/meeting.html", consultation=consultation, meeting=meeting, now=utcnow(),
        registration_form=forms.get("registration_form") or MeetingRegistrationForm(formdata=None),
        minutes_form=minutes_form, link_form=forms.get("link_form") or LinkForm(formdata=None),
        items=visible_items, calendar_key=calendar.calendar_key_of(current_user),
    ), status  # fmt: skip


def _item_visible(item) -> bool:
    target = item.contribution or item.thread
    return target.can_view(current_user) if item.contribution else target.can_read(current_user)


@bp.route("/consultations/<slug>/meetings/<int:meeting_id>")
def show_meeting(slug, meeting_id):
    """A meeting: when and where, agenda, registration, the remote link (signed in, shortly before and
    during), and afterwards the minutes, attendance and what was discussed."""
    consultation = load_consultation(slug)
    return render_meeting(consultation, load_meeting(consultation, meeting_id))


@bp.route("/consultations/<slug>/meetings/<int:meeting_id>/register", methods=["POST"])
@login_required
def register(slug, meeting_id):
    """Register to attend in person or remotely."""
    consultation = load_consultation(slug)
    meeting = load_meeting(consultation, meeting_id)
    form = MeetingRegistrationForm()
    return write(
        None,
        lambda: _register(meeting, form),
        render=lambda: render_meeting(consultation, meeting, 400, registration_form=form),
        success=_meeting_url(meeting),
        message=_("You are registered."),
        field="mode",
    )


def _register(meeting, form) -> None:
    if not form.validate_on_submit():
        form.mode.errors = []
        raise services.ConsultationError(_("Choose how you will attend."))
    services.register(meeting, current_user, form.mode.data)


@bp.route("/consultations/<slug>/meetings/<int:meeting_id>/unregister", methods=["POST"])
@login_required
def unregister(slug, meeting_id):
    """Cancel one's registration."""
    consultation = load_consultation(slug)
    meeting = load_meeting(consultation, meeting_id)
    require(meeting.can_unregister(current_user))
    return write(
        None,
        lambda: services.unregister(meeting, current_user),
        success=_meeting_url(meeting),
        message=_("Your registration is cancelled."),
    )


def _meeting_values(form, consultation) -> dict:
    values = {name: getattr(form, name).data for name in MEETING_FIELDS}
    values["starts_at"] = to_utc(form.starts_at.data, consultation.time_zone) if form.starts_at.data else None
    values["ends_at"] = to_utc(form.ends_at.data, consultation.time_zone) if form.ends_at.data else None
    if values["phase_id"] not in {p.id for p in consultation.phases}:
        values["phase_id"] = None
    return values


def _meeting_data(meeting) -> dict:
    tz = meeting.consultation.time_zone
    data = {name: getattr(meeting, name) for name in MEETING_FIELDS if name != "agenda"}
    data.update(
        agenda=meeting.agenda_source,
        starts_at=to_local(meeting.starts_at, tz).replace(tzinfo=None),
        ends_at=to_local(meeting.ends_at, tz).replace(tzinfo=None),
    )
    return data


def _save_meeting(consultation, meeting, form) -> Meeting:
    values = _meeting_values(form, consultation)
    if meeting is None:
        return services.create_meeting(consultation, current_user, **values)
    services.update_meeting(meeting, current_user, **values)
    return meeting


def _meeting_form(consultation, data) -> MeetingForm:
    form = MeetingForm(data=data)
    form.phase_id.choices = [("", _("— none —"))] + [(p.id, p.title) for p in consultation.phases]
    return form


register_editor(
    Meeting, "meeting", allow=lambda consultation: consultation.can_manage(current_user),
    make_form=_meeting_form, data=_meeting_data, save=_save_meeting,
    template="consultation/manage/meeting_form.html", success=lambda _consultation, meeting: _meeting_url(meeting),
    doc="Plan a meeting or change one (times in the consultation's time zone).",
)  # fmt: skip


def _managed_meeting(slug, meeting_id) -> Meeting:
    consultation = load_consultation(slug)
    meeting = load_meeting(consultation, meeting_id)
    require(consultation.can_manage(current_user))
    return meeting


def _minutes_form(meeting) -> MinutesForm:
    form = MinutesForm()
    form.attended.choices = [(r.user_id, r.user.name) for r in meeting.registrations]
    return form


def _link(meeting, form) -> None:
    contribution = find_by_reference(meeting.consultation, form.reference.data)
    thread = db.session.get(Thread, form.thread_id.data) if form.thread_id.data else None
    if form.reference.data and contribution is None:
        raise services.ConsultationError(_("No contribution has that reference."))
    services.link_item(meeting, current_user, contribution=contribution, thread=thread)


def _unlink(meeting, _form, item_id) -> None:
    item = db.session.get(MeetingItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    services.unlink_item(item, current_user)


secretariat_actions = FormActions(
    bp, "/consultations/<slug>/meetings/<int:meeting_id>", load=_managed_meeting,
    page=lambda meeting, **forms: render_meeting(meeting.consultation, meeting, **forms),
    success=_meeting_url, decorators=(login_required,),
)  # fmt: skip
secretariat_actions.add(
    "minutes", "/minutes", doc="Publish the minutes and who attended.",
    form=_minutes_form, slot="minutes_form", field="minutes",
    run=lambda meeting, form: services.record_minutes(
        meeting, current_user, form.minutes.data, form.attended.data, form.other_attendees.data or 0
    ),
    message=_l("The minutes are published."),
)  # fmt: skip
secretariat_actions.add(
    "link", "/links", doc="Link a contribution (by reference) or a thread (by number) discussed at the meeting.",
    form=lambda meeting: LinkForm(), slot="link_form", field="reference", run=_link,
)  # fmt: skip
secretariat_actions.add("unlink", "/links/<int:item_id>/delete", doc="Remove a link.", run=_unlink)
