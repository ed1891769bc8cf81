"""The languages Majlis speaks, each named in itself (for the switcher and post language menus), and
speaking another person's language for a while (`recipient_language`)."""

import re
from contextlib import contextmanager
from types import SimpleNamespace

import pytz
from flask import current_app, g
from flask_babel import force_locale

RTL_LANGUAGES = {"ar"}
LANGUAGE_NAMES = {
    "en": "English",
    "ar": "العربية",
    "zh": "中文",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}


@contextmanager
def recipient_language(locale: str | None, time_zone: str | None):
    """Gettext, dates and `relative_time` in another person's language and time zone for the
    duration (a mail written in a request or a job for its recipient, not for the current viewer)."""
    languages = current_app.config["LANGUAGES"]
    with force_locale(locale if locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]):
        context = _babel_context()
        saved = getattr(context, "babel_tzinfo", None)
        context.babel_tzinfo = _zone(time_zone)
        try:
            yield
        finally:
            context.babel_tzinfo = saved


def _babel_context():
    """Where Flask-Babel keeps this context's chosen locale and time zone (`g._flask_babel`)."""
    if not hasattr(g, "_flask_babel"):
        g._flask_babel = SimpleNamespace()
    return g._flask_babel


def _zone(name: str | None):
    """A zone as Flask-Babel holds them (pytz: its `to_user_timezone` calls `normalize`)."""
    try:
        return pytz.timezone(name or "UTC")
    except pytz.UnknownTimeZoneError:
        return pytz.UTC


SCRIPT_LANGUAGES = [
    (re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]"), "ar"),
    (re.compile(r"[\u4E00-\u9FFF\u3400-\u4DBF]"), "zh"),
    (re.compile(r"[\u0400-\u04FF]"), "ru"),
]
LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")


def guess_language(text: str, fallback: str | None) -> str:
    """The language of a text written without a language menu (a reply by mail), by its script:
    Arabic, Chinese or Cyrillic letters when they outnumber Latin ones, else the writer's own
    interface language if it is written in Latin letters (en, fr, es), else English."""
    latin = len(LATIN_LETTER.findall(text or ""))
    counts = [(len(pattern.findall(text or "")), language) for pattern, language in SCRIPT_LANGUAGES]
    count, language = max(counts)
    if count > latin:
        return language
    return fallback if fallback in {"en", "fr", "es"} else "en"
