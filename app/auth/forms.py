"""Account forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from app.auth.models import STAKEHOLDER_LABELS

USERNAME_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{1,30}[A-Za-z0-9_]$"
PASSWORD_MIN = 10


def _stakeholder_choices():
    """An empty first choice: a browser shows the first option as chosen, and statistics by group
    must count what people picked, not what the form picked for them."""
    return [("", _l("— choose —"))] + [(value.value, label) for value, label in STAKEHOLDER_LABELS.items()]


class ProfileFieldsMixin:
    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=80)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=120)])
    stakeholder_type = SelectField(
        _l("Stakeholder type"),
        choices=_stakeholder_choices(),
        validators=[DataRequired(message=_l("Choose a stakeholder type."))],
    )
    country = StringField(_l("Country"), validators=[Optional(), Length(max=80)])


class RegisterForm(ProfileFieldsMixin, FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(message=_l("Choose a username.")),
            Regexp(
                USERNAME_PATTERN,
                message=_l(
                    "3 to 32 characters: letters, digits, underscore, dot or hyphen; "
                    "start and end with a letter, digit or underscore."
                ),
            ),
        ],
    )
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Email(message=_l("Enter a valid email address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(
                min=PASSWORD_MIN,
                max=256,
                message=_l("Use at least %(min)d characters.", min=PASSWORD_MIN),
            ),
        ],
    )
    password_confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username or email"), validators=[DataRequired(message=_l("Enter your username or email."))]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password."))])
    remember = BooleanField(_l("Keep me signed in"))


class SettingsForm(ProfileFieldsMixin, FlaskForm):
    bio = TextAreaField(_l("About you"), validators=[Optional(), Length(max=2000)])
    preferred_view = SelectField(
        _l("Thread view"), choices=[("tree", _l("Tree (threaded)")), ("flat", _l("Flat (chronological)"))]
    )
    show_presence = BooleanField(_l("Show others when I am reading or replying"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(message=_l("Enter your current password."))]
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=_l("Choose a new password.")),
            Length(
                min=PASSWORD_MIN, max=256, message=_l("Use at least %(min)d characters.", min=PASSWORD_MIN)
            ),
        ],
    )
    new_password_confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new_password", message=_l("The two passwords differ."))],
    )
