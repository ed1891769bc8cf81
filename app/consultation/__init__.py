"""The open consultation: dated phases, formal contributions and their review, meetings, the final brief."""

import click
from babel.dates import format_date, format_time
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import get_locale

from app.consultation.timezones import to_local
from app.core import audit as core_audit
from app.core import page_cache


def _zoned(value, time_zone, kind="datetime"):
    """A naive-UTC datetime in `time_zone`, formatted for the page's language."""
    if value is None:
        return ""
    local = to_local(value, time_zone)
    locale = str(get_locale() or "en")
    if kind == "date":
        return format_date(local, "medium", locale=locale)
    if kind == "time":
        return format_time(local, "short", tzinfo=local.tzinfo, locale=locale)
    return f"{format_date(local, 'medium', locale=locale)}, {format_time(local, 'short', tzinfo=local.tzinfo, locale=locale)}"


def _seed_command():
    from app.consultation.seed import seed_demo
    from app.core.schema import with_schema_ready
    from app.extensions import db

    @click.command("seed-demo")
    @with_appcontext
    @with_schema_ready
    def seed_demo_command():
        """Create the demo consultations: WSIS Forum 2017 and a live one dated around today (idempotent)."""
        with current_app.test_request_context():
            created = seed_demo()
            db.session.commit()
        for slug, was_created in created.items():
            click.echo(f"{slug}: {'created' if was_created else 'already there'}")

    return seed_demo_command


def init_app(app):
    """Register the consultation blueprint, CLI and hooks."""
    from app.consultation import (
        attachments,
        audit,
        digest,
        home,
        models,  # noqa: F401  (tables for create_all and migrations)
        notifications,
        places,
        profile,
        reminders,
        search,
        types,
    )
    from app.consultation.routes import bp

    app.register_blueprint(bp)
    places.register()  # drafts of contributions; supports on public contributions
    home.register()  # running consultations lead the home page
    from app.consultation import api

    api.register(app)  # consultations, contributions, meetings and the brief in the JSON API
    from app.consultation import mydata

    mydata.register()  # contributions and meetings in a member's data
    from app.consultation import webhooks

    webhooks.register()  # its webhook events
    page_cache.register_cacheable(
        "consultation.index", "consultation.show", "consultation.contributions",
        "consultation.show_contribution", "consultation.brief",
    )  # fmt: skip
    page_cache.register_private_tables("consultation_reminders")
    app.cli.add_command(_seed_command())
    app.jinja_env.filters["zoned"] = _zoned
    app.jinja_env.globals.update(
        workshop_formats=types.WORKSHOP_FORMATS,
        languages=types.LANGUAGES,
        event_levels=types.EVENT_LEVELS,
        stakeholder_label=types.stakeholder_label,
        region_label=types.region_label,
        state_label=lambda state: models.ContributionState(state).label,
    )
    search.register()
    audit.register()
    app.add_template_global(core_audit.sentence, "audit_sentence")
    notifications.register()
    digest.register()  # deadlines of the coming week in members' digests
    reminders.register()  # drafts before the deadline, meetings the day before
    attachments.register()  # files on contributions, seen by whoever sees the contribution
    profile.register()
