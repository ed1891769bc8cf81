"""Moderation forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

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
