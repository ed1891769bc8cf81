"""Plural forms, dates and relative times in the languages whose rules differ most from English."""

from datetime import datetime, timedelta

import pytest
from flask import render_template_string
from flask_babel import format_datetime, ngettext

from app.core.time import utcnow
from app.i18n import relative_time

THREADS = "{{ ngettext('%(num)d thread', '%(num)d threads', n) }}"


def in_language(app, language, source, **context):
    with app.test_request_context(headers={"Accept-Language": language}):
        return render_template_string(source, **context)


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 обсуждение"), (2, "2 обсуждения"), (5, "5 обсуждений"), (11, "11 обсуждений"),
     (21, "21 обсуждение"), (22, "22 обсуждения"), (25, "25 обсуждений"), (111, "111 обсуждений")],
)  # fmt: skip
def test_russian_plurals(app, count, expected):
    assert in_language(app, "ru", THREADS, n=count) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "لا مواضيع"), (1, "موضوع واحد"), (2, "موضوعان"), (3, "3 مواضيع"), (10, "10 مواضيع"),
     (11, "11 موضوعًا"), (99, "99 موضوعًا"), (100, "100 موضوع"), (102, "102 موضوع"), (103, "103 مواضيع")],
)  # fmt: skip
def test_arabic_plurals(app, count, expected):
    assert in_language(app, "ar", THREADS, n=count) == expected


def test_chinese_has_one_form_and_french_counts_zero_as_singular(app):
    assert in_language(app, "zh", THREADS, n=1) == "1 个讨论"
    assert in_language(app, "zh", THREADS, n=7) == "7 个讨论"
    assert in_language(app, "fr", THREADS, n=0) == "0 fil"
    assert in_language(app, "fr", THREADS, n=2) == "2 fils"


def test_python_ngettext_uses_the_catalog(app):
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        assert ngettext("%(num)d post", "%(num)d posts", 3) == "3 сообщения"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "March"), ("ar", "مارس"), ("zh", "2026年3月"), ("ru", "марта"), ("fr", "mars"), ("es", "marzo")],
)
def test_dates_are_localised(app, language, expected):
    moment = datetime(2026, 3, 14, 15, 9)
    with app.test_request_context(headers={"Accept-Language": language}):
        assert expected in format_datetime(moment, "long")
        assert expected in in_language(app, language, "{{ when|datetime('long') }}", when=moment)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "3 hours ago"), ("ar", "قبل 3 ساعات"), ("zh", "3小时前"), ("ru", "3 часа назад"),
     ("fr", "il y a 3 heures"), ("es", "hace 3 horas")],
)  # fmt: skip
def test_relative_times_are_localised(app, language, expected):
    with app.test_request_context(headers={"Accept-Language": language}):
        assert relative_time(utcnow() - timedelta(hours=3, seconds=5)) == expected
