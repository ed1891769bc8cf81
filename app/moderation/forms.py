"""Moderation forms."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from app.auth.models import find_user_by_username
from app.discussions.models import TITLE_MAX, TITLE_MIN
from app.moderation.models import APPROVAL_LABELS, DECISION_LABELS, REASON_LABELS, REPORTER_REASONS

REASON_MAX = 1000

_required_reason = [
    DataRequired(message=_l("Give a reason; it goes on the record.")),
    Length(max=REASON_MAX),
]
_title_validators = [
    DataRequired(message=_l("Give the thread a title.")),
    Length(
        min=TITLE_MIN,
        max=TITLE_MAX,
        message=_l("A title must be between %(min)d and %(max)d characters.", min=TITLE_MIN, max=TITLE_MAX),
    ),
]

SLOW_MODE_CHOICES = [
    ("0", _l("Off")),
    ("30", _l("30 seconds")),
    ("60", _l("1 minute")),
    ("300", _l("5 minutes")),
    ("900", _l("15 minutes")),
    ("3600", _l("1 hour")),
    ("21600", _l("6 hours")),
    ("86400", _l("1 day")),
]
DURATION_CHOICES = [
    ("1h", _l("1 hour")),
    ("1d", _l("1 day")),
    ("3d", _l("3 days")),
    ("7d", _l("1 week")),
    ("30d", _l("30 days")),
    ("365d", _l("1 year")),
    ("forever", _l("Indefinitely")),
]


def _note_field():
    return TextAreaField(
        _l("Note for the record"),
        validators=[DataRequired(message=_l("Write a note for the record.")), Length(max=REASON_MAX)],
    )


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong?"),
        choices=[(value.value, REASON_LABELS[value]) for value in REPORTER_REASONS],
        validators=[DataRequired(message=_l("Choose a reason."))],
    )
    note = TextAreaField(_l("Anything the moderators should know"), validators=[Optional(), Length(max=1000)])


class AppealForm(FlaskForm):
    note = TextAreaField(
        _l("Why should it be restored?"),
        validators=[
            DataRequired(message=_l("Tell the moderators why it should be restored.")),
            Length(max=1000),
        ],
    )


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[(value.value, label) for value, label in DECISION_LABELS.items()],
        validators=[DataRequired(message=_l("Choose a decision."))],
    )
    note = _note_field()


class ApprovalForm(FlaskForm):
    """A decision on a post or thread held for approval."""

    decision = RadioField(
        _l("Decision"),
        choices=[(value.value, label) for value, label in APPROVAL_LABELS.items()],
        validators=[DataRequired(message=_l("Choose a decision."))],
    )
    note = _note_field()


class AccountDecisionForm(FlaskForm):
    """Admitting or turning away a new account: the note is required."""

    note = StringField(
        _l("Note for the record"),
        validators=[DataRequired(message=_l("Write a note for the record.")), Length(max=REASON_MAX)],
    )


class ReasonForm(FlaskForm):
    """An action whose reason is optional (lock, pin)."""

    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=REASON_MAX)])


class RequiredReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=_required_reason)


class SlowModeForm(FlaskForm):
    seconds = SelectField(_l("Slow mode"), choices=SLOW_MODE_CHOICES)
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=REASON_MAX)])


class TitleForm(FlaskForm):
    title = StringField(_l("Title"), validators=_title_validators)
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=REASON_MAX)])


class MoveForm(FlaskForm):
    community = SelectField(_l("Move to"), validators=[DataRequired(message=_l("Choose a community."))])
    reason = StringField(_l("Reason"), validators=_required_reason)


class SplitForm(FlaskForm):
    title = StringField(_l("Title of the new thread"), validators=_title_validators)
    reason = StringField(_l("Reason"), validators=_required_reason)


class MergeForm(FlaskForm):
    target = StringField(
        _l("Merge into thread (number or address)"),
        validators=[
            DataRequired(message=_l("Say which thread to merge into.")),
            Length(max=300),
            Regexp(r"^\s*(?:\S*/t/)?\d{1,18}\s*$", message=_l("Give a thread number or its address.")),
        ],
    )
    reason = StringField(_l("Reason"), validators=_required_reason)

    def target_id(self) -> int:
        return int(self.target.data.strip().rsplit("/t/", 1)[-1])


class WarnForm(FlaskForm):
    reason = TextAreaField(_l("Message to the member"), validators=_required_reason)


class SanctionForm(FlaskForm):
    duration = SelectField(_l("For"), choices=DURATION_CHOICES)
    reason = StringField(_l("Reason"), validators=_required_reason)


class ModeratorForm(FlaskForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(message=_l("Enter a username.")), Length(max=64)]
    )
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=REASON_MAX)])


class ListChoiceField(SelectField):
    """A select whose value must be one of its choices: a value edited into the address is refused
    with a sentence, not WTForms' "Not a valid choice"."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, validate_choice=False, **kwargs)

    def pre_validate(self, form):
        if self.data and self.data not in {str(value) for value, _label in self.choices}:
            raise ValidationError(_l("Choose one from the list."))


class DayField(DateField):
    """A day as YYYY-MM-DD; what was typed stays in the field and is named in the error."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        try:
            self.data = datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise ValueError(_("“%(value)s” is not a date: write it as YYYY-MM-DD.", value=shown)) from None


class AuditFilterForm(FlaskForm):
    """The audit log's filters (a GET form). Choices are the viewer's own (audit_filters.filter_form);
    scopes registered with app.core.audit (community, consultation) are added as fields of their own."""

    class Meta:
        csrf = False

    actor = ListChoiceField(_l("Moderator"))
    action = ListChoiceField(_l("Action"))
    member = StringField(_l("Member"), validators=[Optional(), Length(max=64)])
    date_from = DayField(_l("From"), name="from")
    date_to = DayField(_l("To"), name="to")

    member_user = None  # the member named, once validated

    def validate_member(self, field):
        if not field.data:
            return
        self.member_user = find_user_by_username(field.data.strip())
        if self.member_user is None:
            raise ValidationError(_("There is no member called “%(name)s”.", name=field.data.strip()))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))
