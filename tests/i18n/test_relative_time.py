"""Relative times are formatted once per step of time and language (app/i18n: `relative_time`), and say
exactly what Babel says for the moment itself."""

import random

import pytest
from babel.dates import format_timedelta

from app.i18n import _delta_bucket


@pytest.mark.parametrize("locale", ["en", "ar", "zh"])
def test_a_remembered_relative_time_says_what_babel_says(locale):
    rng = random.Random(7)
    spans = [60, 3600, 7 * 86400, 400 * 86400, 20 * 365 * 86400]
    moments = [rng.uniform(-span, span) for span in spans for _ in range(2000)]
    moments += [
        sign * edge for sign in (1, -1) for edge in (50.6, 51.2, 3059.5, 3061, 5399.9, 5400.2, 73439, 73441)
    ]
    for seconds in moments:
        exact = format_timedelta(seconds, add_direction=True, locale=locale)
        assert format_timedelta(_delta_bucket(seconds), add_direction=True, locale=locale) == exact, seconds
