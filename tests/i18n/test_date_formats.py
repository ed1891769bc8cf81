"""Dates on pages read the same as Flask-Babel formats them, in every language and time zone, also
when the same moment is formatted again (they are remembered per moment, format, language and zone)."""

from datetime import datetime

import pytest
from flask import session
from flask_babel import format_datetime

from app.i18n import remembered_datetime

MOMENTS = [datetime(2026, 3, 29, 0, 30), datetime(2026, 10, 25, 1, 15), datetime(2017, 5, 2, 9, 0)]


@pytest.mark.parametrize("language", ["en", "ar", "zh", "fr", "ru", "es"])
@pytest.mark.parametrize("fmt", ["medium", "full", "short"])
def test_a_remembered_date_reads_as_babel_formats_it(app, language, fmt):
    for zone in ("UTC", "Europe/Zurich", "Asia/Riyadh"):
        with app.test_request_context(headers={"Accept-Language": language}):
            session["timezone"] = zone
            for moment in MOMENTS:
                first = remembered_datetime(moment, fmt)
                assert first == format_datetime(moment, fmt)
                assert remembered_datetime(moment, fmt) == first
