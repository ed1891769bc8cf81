"""Forms for consultations, contributions, review, meetings and the brief.

Forms check the shape of the input (types, lengths, dates); the services check the domain rules
again, whatever the caller, and `app.core.refusals.write` puts their `InvalidInput` errors back
on the fields.
Dates and times in forms are wall-clock times in the consultation's time zone.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from app.auth.models import STAKEHOLDER_LABELS
from app.consultation.models import (
    AttendanceMode,
    Disposition,
    MeetingFormat,
    PhaseKind,
    Recommendation,
    Role,
    SectionKind,
)
from app.consultation.types import (
    EVENT_LEVELS,
    LANGUAGES,
    REGIONS,
    WORKSHOP_DURATIONS,
    WORKSHOP_FORMATS,
    ContributionType,
)
from app.core.database import MAX_ID, id_choice, parse_id
from app.core.fields import CheckboxList
from app.files.forms import AttachmentsMixin

SPEAKER_ROWS = 6
MAX_ATTENDANCE = 100_000  # people at one meeting: far past any real one, well within the database
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _choices(labels: dict) -> list:
    return [(key, label) for key, label in labels.items()]


def _stakeholders():
    return [("", _l("— choose —"))] + [(value.value, label) for value, label in STAKEHOLDER_LABELS.items()]


# Consultations and phases ---------------------------------------------------------------------
class ConsultationForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Address"), validators=[DataRequired(), Length(max=80)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    time_zone = StringField(_l("Time zone (IANA name)"), default="Europe/Zurich", validators=[DataRequired()])
    time_zone_label = StringField(
        _l("Place that names the local time"), validators=[Optional(), Length(max=64)]
    )
    reference_prefix = StringField(_l("Reference prefix"), validators=[DataRequired(), Length(max=16)])


class PhaseForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[(k.value, k.label) for k in PhaseKind])
    starts_at = DateTimeLocalField(
        _l("Starts (local time)"), format=DATETIME_FORMAT,
        validators=[InputRequired(message=_l("Give a start date and time."))],
    )  # fmt: skip
    ends_at = DateTimeLocalField(
        _l("Ends (local time, optional)"), format=DATETIME_FORMAT, validators=[Optional()]
    )
    all_day = BooleanField(_l("Show the date only (all-day phase)"))
    location = StringField(_l("Location"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("What happens in this phase"), validators=[Optional(), Length(max=5000)])
    reason = StringField(
        _l("Reason for the change (kept in the log)"), validators=[Optional(), Length(max=300)]
    )


class RoleForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired()])
    role = SelectField(_l("Role"), choices=[(r.value, r.label) for r in Role])


# Contributions --------------------------------------------------------------------------------
class SpeakerForm(Form):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=120)])
    stakeholder_type = SelectField(_l("Stakeholder type"), choices=_stakeholders(), validate_choice=False)


class WorkshopFields(Form):
    format = SelectField(_l("Format"), choices=_choices(WORKSHOP_FORMATS))
    duration = SelectField(
        _l("Duration"), coerce=int, choices=[(m, _l("%(num)d minutes", num=m)) for m in WORKSHOP_DURATIONS]
    )
    policy_questions = TextAreaField(_l("Policy questions"), validators=[Optional(), Length(max=5000)])
    languages = CheckboxList(_l("Languages"), choices=_choices(LANGUAGES))
    remote_participation = TextAreaField(
        _l("Remote-participation needs"), validators=[Optional(), Length(max=5000)]
    )
    speakers = FieldList(
        FormField(SpeakerForm), label=_l("Speakers"), min_entries=SPEAKER_ROWS, max_entries=20
    )
    binding_commitment = BooleanField(
        _l("We commit to hold this workshop if it is accepted (binding request).")
    )


class NominationFields(Form):
    nominee = StringField(_l("Nominee"), validators=[Optional(), Length(max=120)])
    organisation = StringField(_l("Nominee's organisation"), validators=[Optional(), Length(max=120)])
    stakeholder_type = SelectField(_l("Nominee's stakeholder type"), choices=_stakeholders())
    region = SelectField(_l("Nominee's region"), choices=[("", _l("— choose —"))] + _choices(REGIONS))
    bio = TextAreaField(_l("Short biography"), validators=[Optional(), Length(max=1500)])
    nominee_consent = BooleanField(_l("The nominee has agreed to be nominated."))


class EventFields(Form):
    event_name = StringField(_l("Event name"), validators=[Optional(), Length(max=200)])
    level = SelectField(_l("Level"), choices=_choices(EVENT_LEVELS))
    country_region = StringField(_l("Country or region"), validators=[Optional(), Length(max=120)])
    event_start = DateField(_l("First day"), validators=[InputRequired(message=_l("Give the first day."))])
    event_end = DateField(_l("Last day"), validators=[InputRequired(message=_l("Give the last day."))])
    outcome = TextAreaField(_l("Outcome"), validators=[Optional(), Length(max=5000)])


DETAIL_FORMS = {
    ContributionType.WORKSHOP: WorkshopFields,
    ContributionType.NOMINATION: NominationFields,
    ContributionType.EVENT_INPUT: EventFields,
}


class ContributionForm(AttachmentsMixin, FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give a title.")), Length(max=200)])
    summary = TextAreaField(
        _l("Summary"), validators=[DataRequired(message=_l("Write a short summary.")), Length(max=1000)]
    )
    body = TextAreaField(_l("Full text"), validators=[Optional(), Length(max=50000)])
    # Plain int: the service keeps only ids that name an action line (`parse_id`) and says what is missing.
    action_lines = CheckboxList(_l("Action lines it addresses"), coerce=int, validate_choice=False)
    region = SelectField(
        _l("Region you contribute from"), choices=[("", _l("— choose —"))] + _choices(REGIONS)
    )


def contribution_form(kind: ContributionType, action_line_choices, **kwargs) -> ContributionForm:
    """The form for one kind of contribution: the common fields plus that kind's own."""
    detail_form = DETAIL_FORMS.get(ContributionType(kind))

    class KindForm(ContributionForm):
        pass

    if detail_form is not None:
        KindForm.details = FormField(detail_form, label="")
    form = KindForm(**kwargs)
    form.action_lines.choices = action_line_choices
    return form


def contribution_values(form) -> dict:
    """What the services take, read from a validated form."""
    details = form.details.data if "details" in form else {}
    if "speakers" in details:
        details["speakers"] = [dict(s) for s in details["speakers"]]
    return {
        "title": form.title.data or "",
        "summary": form.summary.data or "",
        "body": form.body.data or "",
        "action_line_ids": form.action_lines.data or [],
        "region": form.region.data,
        "details": details,
    }


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])


class LateAcceptanceForm(FlaskForm):
    reason = TextAreaField(_l("Why it is accepted late"), validators=[DataRequired(), Length(max=2000)])


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[("accept", _l("Accept")), ("decline", _l("Decline")), ("merge", _l("Merge into another"))],
    )
    merge_into = StringField(_l("Merge into (reference)"), validators=[Optional(), Length(max=40)])
    response = TextAreaField(
        _l("Official response"), validators=[DataRequired(message=_l("Write the official response."))]
    )


class AssignForm(FlaskForm):
    # A number that names no row reads as no choice (parse_id); the route says "Choose a reviewer."
    reviewer = SelectField(_l("Reviewer"), coerce=parse_id, validate_choice=False)


def review_form(contribution, **kwargs):
    """Scores 1–5 for the criteria of the contribution's kind, a private comment and a recommendation."""

    class ReviewForm(FlaskForm):
        comment = TextAreaField(
            _l("Private comment to the secretariat"), validators=[Optional(), Length(max=5000)]
        )
        recommendation = RadioField(
            _l("Recommendation"), choices=[(r.value, r.label) for r in Recommendation]
        )

    for name, label in contribution.kind.criteria.items():
        field = RadioField(label, choices=[(str(n), str(n)) for n in range(1, 6)])
        setattr(ReviewForm, f"score_{name}", field)
    return ReviewForm(**kwargs)


# Meetings -------------------------------------------------------------------------------------
class MeetingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    format = SelectField(_l("Format"), choices=[(f.value, f.label) for f in MeetingFormat])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    starts_at = DateTimeLocalField(
        _l("Starts (local time)"), format=DATETIME_FORMAT, validators=[InputRequired()]
    )
    ends_at = DateTimeLocalField(
        _l("Ends (local time)"), format=DATETIME_FORMAT, validators=[InputRequired()]
    )
    remote_url = StringField(
        _l("Remote-participation link"), validators=[Optional(), URL(require_tld=False), Length(max=500)]
    )
    capacity = IntegerField(
        _l("In-person places (empty: no limit)"),
        validators=[Optional(), NumberRange(min=1, max=MAX_ATTENDANCE)],
    )
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=20000)])
    phase_id = SelectField(_l("Phase"), coerce=id_choice, validate_choice=False)


class MeetingRegistrationForm(FlaskForm):
    mode = RadioField(_l("I will attend"), choices=[(m.value, m.label) for m in AttendanceMode])


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Minutes"), validators=[DataRequired(message=_l("Write the minutes."))])
    # Plain int: the service compares these with the meeting's registrations, never in a query.
    attended = CheckboxList(_l("Registered participants who attended"), coerce=int, validate_choice=False)
    other_attendees = IntegerField(
        _l("Other participants (not registered)"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=MAX_ATTENDANCE)],
    )


class LinkForm(FlaskForm):
    reference = StringField(_l("Contribution reference"), validators=[Optional(), Length(max=40)])
    thread_id = IntegerField(_l("or thread number"), validators=[Optional(), NumberRange(min=1, max=MAX_ID)])


# The brief ------------------------------------------------------------------------------------
class BriefIntroForm(FlaskForm):
    intro = TextAreaField(_l("Introduction"), validators=[Optional(), Length(max=20000)])


class BriefItemChangeForm(FlaskForm):
    disposition = SelectField(_l("Disposition"), choices=[(d.value, d.label) for d in Disposition])
    rationale = TextAreaField(_l("Rationale"), validators=[Optional(), Length(max=20000)])


class BriefCorrectionForm(FlaskForm):
    note = TextAreaField(
        _l("What the correction changes"), validators=[Optional(), Length(max=2000)],
        description=_l("Readers see this note beside the new version, with every change listed."),
    )  # fmt: skip


class BriefSectionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[(k.value, k.label) for k in SectionKind])
    community_id = SelectField(
        _l("Action line"),
        coerce=id_choice,
        validate_choice=False,
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Text"), validators=[Optional(), Length(max=20000)])


class BriefItemForm(FlaskForm):
    reference = StringField(_l("Contribution reference"), validators=[Optional(), Length(max=40)])
    thread_id = IntegerField(_l("or thread number"), validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    disposition = SelectField(_l("Disposition"), choices=[(d.value, d.label) for d in Disposition])
    rationale = TextAreaField(
        _l("Rationale"), validators=[DataRequired(message=_l("Explain the disposition."))]
    )
