"""Language and time-zone selection, and localised relative times."""

from datetime import datetime

from babel.dates import format_timedelta
from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

from app.core.time import utcnow

RTL_LANGUAGES = {"ar"}
LANGUAGE_NAMES = {
    "en": "English",
    "ar": "العربية",
    "zh": "中文",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}


def select_locale() -> str:
    """The user's saved preference, else the session's choice, else Accept-Language, else English."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return session.get("timezone") or "UTC"


def relative_time(value: datetime | None) -> str:
    """'3 minutes ago' in the page's language."""
    if value is None:
        return ""
    delta = value - utcnow()
    return format_timedelta(delta, add_direction=True, locale=str(get_locale() or "en"))
