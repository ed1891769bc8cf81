"""Forms for threads and posts."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.discussions.models import BODY_MAX, BODY_MIN, TITLE_MAX, TITLE_MIN
from app.files.forms import AttachmentsMixin

_body_validators = [
    DataRequired(message=_l("Write something before posting.")),
    Length(
        min=BODY_MIN,
        max=BODY_MAX,
        message=_l("A post must be between %(min)d and %(max)d characters.", min=BODY_MIN, max=BODY_MAX),
    ),
]


def _language_choices():
    from app.core.languages import LANGUAGE_NAMES

    return [(code, name, {"lang": code}) for code, name in LANGUAGE_NAMES.items()]


def _interface_language():
    return str(get_locale() or "en").split("_")[0]


class LanguageMixin:
    language = SelectField(
        _l("Language of your text"),
        choices=_language_choices(),
        default=_interface_language,
        description=_l("Used for search and for screen readers."),
    )


class NewThreadForm(AttachmentsMixin, LanguageMixin, FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Give the thread a title.")),
            Length(
                min=TITLE_MIN,
                max=TITLE_MAX,
                message=_l(
                    "A title must be between %(min)d and %(max)d characters.",
                    min=TITLE_MIN,
                    max=TITLE_MAX,
                ),
            ),
        ],
    )
    body = TextAreaField(_l("Message"), validators=_body_validators)
    proposal = BooleanField(
        _l("This thread is a proposal"),
        description=_l(
            "Members may support it; supports are counted by stakeholder group until the thread is locked."
        ),
    )


class ReplyForm(AttachmentsMixin, LanguageMixin, FlaskForm):
    body = TextAreaField(_l("Your reply"), validators=_body_validators)
    parent_id = HiddenField(
        validators=[Optional(), Regexp(r"^\d{1,18}$", message=_l("That post does not exist."))]
    )


class EditPostForm(FlaskForm):
    # Only on an opening post whose author may still change the thread's title (removed otherwise).
    title = StringField(_l("Title"), validators=[Optional(), Length(min=TITLE_MIN, max=TITLE_MAX)])
    body = TextAreaField(_l("Message"), validators=_body_validators)
    reason = StringField(_l("Reason for the edit (optional)"), validators=[Optional(), Length(max=300)])
