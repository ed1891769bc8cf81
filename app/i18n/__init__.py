"""Language and time-zone selection, the language switcher, and localised relative times."""

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from babel.dates import format_datetime, format_timedelta
from flask import Flask, current_app, g, request, session
from flask_babel import get_locale, get_timezone, get_translations, gettext
from flask_login import current_user

from app.core.languages import LANGUAGE_NAMES
from app.core.time import utcnow


def init_app(app: Flask) -> None:
    """Compile stale catalogs; register the language switcher route and the template helpers it needs."""
    from app.i18n.catalogs import compile_stale_catalogs
    from app.i18n.routes import bp

    for directory in translation_directories(app):
        compile_stale_catalogs(directory)

    app.register_blueprint(bp)

    app.jinja_env.filters["translated"] = translated
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: request_translations().ugettext(text),
        ngettext=lambda singular, plural, n: request_translations().ungettext(singular, plural, n),
        pgettext=lambda context, text: request_translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: request_translations().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )

    @app.context_processor
    def _language_switcher():
        return {"language_choices": language_choices, "switcher_next": switcher_next}


def request_translations():
    """The catalog of the request's language, for the templates' `_()` (Flask-Babel's own lookup
    walks the app context, the domain and the locale on every call: 13% of a listing page's time).

    Kept beside Flask-Babel's locale on `g` and used while that locale object is the same, so
    `force_locale` (mail in the recipient's language) and `refresh()` are followed."""
    state = g.get("_flask_babel")
    kept = getattr(state, "majlis_translations", None)
    if kept is not None and kept[0] is getattr(state, "babel_locale", None):
        return kept[1]
    translations = get_translations()
    state = g.get("_flask_babel")
    if state is not None:
        state.majlis_translations = (getattr(state, "babel_locale", None), translations)
    return translations


def translation_directories(app: Flask) -> list[Path]:
    """Where Flask-Babel reads catalogs from (its setting, relative to the app package)."""
    setting = app.config.get("BABEL_TRANSLATION_DIRECTORIES", "translations")
    return [Path(app.root_path, name) for name in setting.split(";")]


def translated(text: str | None) -> str:
    """The catalog's translation of stored text (seeded community names); other text unchanged.

    Unlike `_()` in a template, the result stays plain text, so autoescaping still applies.
    """
    return gettext(text) if text else ""


def language_choices() -> list[tuple[str, str]]:
    """(code, name in its own language) for every configured interface language."""
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]]


def switcher_next() -> str:
    """Where the language switcher sends the reader back to: this page, or for a page answering a
    POST (a form shown again with errors) the page the form was on."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != urlsplit(request.host_url).netloc or not referrer.path.startswith("/"):
        return "/"
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


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
    """The signed-in member's saved time zone, else the session's, else UTC."""
    if current_user and current_user.is_authenticated and getattr(current_user, "time_zone", None):
        return current_user.time_zone
    return session.get("timezone") or "UTC"


@lru_cache(maxsize=4096)
def _formatted_datetime(value: datetime, fmt: str, locale, zone) -> str:
    return format_datetime(value, fmt, tzinfo=zone, locale=locale)


def remembered_datetime(value: datetime | None, fmt: str = "medium") -> str:
    """The `datetime` filter: Flask-Babel's format_datetime, remembered per (moment, format,
    language, time zone) for the few thousand most recent. Formatting with Babel costs a tenth of a
    millisecond; listings show the same dates on every view. (Posts' dates are kept with the post's
    rendered fragment, app/discussions/post_html.py.)"""
    if not value:
        return ""
    return _formatted_datetime(value, fmt, get_locale(), get_timezone())


def _delta_bucket(seconds: float) -> float:
    """The middle of the step of time `seconds` falls in, a step no rounding or unit threshold of
    Babel's format_timedelta (at its default 0.85) falls inside: every boundary past an hour is a
    whole minute, past a week a whole hour; under an hour a whole second, under a minute a half."""
    size = abs(seconds)
    step = 0.5 if size < 60 else 1 if size < 3600 else 60 if size < 604800 else 3600
    middle = step / 2 if seconds >= 0 else -step / 2
    return int(seconds / step) * step + middle


@lru_cache(maxsize=8192)
def _formatted_delta(bucket: float, locale: str) -> str:
    return format_timedelta(bucket, add_direction=True, locale=locale)


def relative_time(value: datetime | None) -> str:
    """'3 minutes ago' in the page's language, formatted once per (step of time, language): a page
    of fifty posts asked Babel fifty times (20 µs each) for what is mostly a handful of phrases."""
    if value is None:
        return ""
    delta = (value - utcnow()).total_seconds()
    return _formatted_delta(_delta_bucket(delta), str(get_locale() or "en"))
