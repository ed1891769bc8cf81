"""Account forms."""

from functools import lru_cache
from zoneinfo import available_timezones

from babel.dates import get_timezone_location
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, Length, Optional, Regexp

from app.auth.models import STAKEHOLDER_LABELS
from app.core.fields import CheckboxList


@lru_cache(maxsize=1)
def _area_city_zones() -> frozenset[str]:
    return frozenset(
        name for name in available_timezones() if "/" in name and not name.startswith(("Etc/", "SystemV/"))
    )


@lru_cache(maxsize=8)
def time_zone_choices(locale: str) -> list[tuple[str, str]]:
    """UTC first, then the IANA zones in Area/City form, named by their city in `locale` (the value
    stays the IANA name), sorted by that name: worked out once per language (0.1 s). Old names of
    one zone (Asia/Istanbul and Europe/Istanbul) show the same city: it is listed once."""
    by_city: dict[str, str] = {}
    for zone in sorted(_area_city_zones(), key=lambda name: (len(name), name)):
        by_city.setdefault(get_timezone_location(zone, locale=locale, return_city=True), zone)
    return [("UTC", "UTC")] + sorted(
        ((zone, city) for city, zone in by_city.items()), key=lambda choice: choice[1]
    )


def email_validators() -> list:
    """An address is required, well formed (not looked up in DNS) and fits the column."""
    return [
        DataRequired(message=_l("Enter your email address.")),
        Email(message=_l("Enter a valid email address."), check_deliverability=False),
        Length(max=254),
    ]


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
    email = EmailField(_l("Email"), validators=email_validators())
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
    theme = SelectField(
        _l("Colours"),
        choices=[("auto", _l("As my device is set")), ("light", _l("Light")), ("dark", _l("Dark"))],
    )
    time_zone = SelectField(
        _l("Time zone"),
        description=_l("Dates on the site and in mail from it are shown in this time zone."),
        choices=lambda: time_zone_choices(str(get_locale() or "en")),
        validate_choice=False,  # any IANA zone is valid, the list shows one name per city
        validators=[AnyOf(_area_city_zones() | {"UTC"}, message=_l("Choose a time zone from the list."))],
        filters=[
            lambda value: value or "UTC"
        ],  # an account that never chose one, or a form without the field
    )


class NewPasswordFields:
    """A new password, typed twice (changing it in the settings, or from a reset link)."""

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


class PasswordChangeForm(NewPasswordFields, FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(message=_l("Enter your current password."))]
    )


class ForgotPasswordForm(FlaskForm):
    login = StringField(
        _l("Username or email"),
        validators=[DataRequired(message=_l("Enter your username or email.")), Length(max=254)],
    )


class ResetPasswordForm(NewPasswordFields, FlaskForm):
    """Only the new password: the reset link stands for the current one."""


class EmailChangeForm(FlaskForm):
    email = EmailField(_l("New email address"), validators=email_validators())
    password = PasswordField(
        _l("Current password"), validators=[DataRequired(message=_l("Enter your current password."))]
    )


TOKEN_SCOPE_LABELS = {
    "read": _l("Read: what you can see (communities, threads, consultations, your drafts)"),
    "write": _l("Write: post, edit your posts, react, support and follow as you"),
    "moderate": _l("Moderate: what you may moderate"),
    "consultation": _l("Consultation: submit contributions"),
}
TOKEN_DAYS = (("30", _l("30 days")), ("90", _l("90 days")), ("365", _l("A year")), ("0", _l("Never")))


class AccessTokenForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=80)],
        description=_l("What will use it, so you know which one to revoke later."),
    )  # fmt: skip
    scopes = CheckboxList(
        _l("Scopes"), choices=list(TOKEN_SCOPE_LABELS.items()), default=["read"],
        validators=[DataRequired(_l("Choose at least one scope."))],
    )  # fmt: skip
    days = SelectField(_l("Expires after"), choices=TOKEN_DAYS, default="90")


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    erase_text = BooleanField(_l("Also erase the text of my posts (they become “deleted” placeholders)"))
    confirm = BooleanField(
        _l("I understand that my account cannot be restored"),
        validators=[DataRequired(_l("Tick this to confirm."))],
    )
