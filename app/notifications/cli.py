"""`flask mail digests`, added to the mail commands."""

import click
from flask import current_app
from flask.cli import with_appcontext

from app.notifications import digests


@click.command("digests")
@with_appcontext
def digests_command():
    """Send every digest and reminder that is due now (idempotent: a member gets one digest per period,
    one reminder per stage). Run it hourly from cron in scale-out; the embedded default runs it in a
    background thread."""
    with current_app.test_request_context("/"):  # links are built with url_for, as in a job
        sent = digests.run_scheduled()
    click.echo(f"{sent} digests and reminders sent.")
