"""`flask jobs status | worker | retry`."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.jobs import queue

jobs_cli = AppGroup("jobs", help="Deferred jobs (notifications fan-out and other work after a commit).")


@jobs_cli.command("status")
def status():
    """Jobs waiting and failed, per kind, and the last errors of failed jobs."""
    rows = queue.backlog()
    if not rows:
        click.echo("No jobs waiting or failed.")
    for kind, waiting, failed, oldest in rows:
        since = f", oldest {oldest:%Y-%m-%d %H:%M:%S} UTC" if oldest else ""
        click.echo(f"{kind}: {waiting} waiting{since}, {failed} failed")
    for job in queue.failed_jobs():
        click.echo(f"  failed job {job.id} ({job.kind}, {job.attempts} attempts): {job.last_error}")


@jobs_cli.command("worker")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between polls for due jobs.")
def worker(poll):
    """Run jobs until stopped (with JOBS_RUNNER=worker; on PostgreSQL several may run). Ctrl-C stops."""
    runner = current_app.extensions["majlis_jobs"]
    click.echo("Job worker running; Ctrl-C to stop.")
    try:
        runner.run_forever(poll=poll)
    except KeyboardInterrupt:
        runner.stop()


@jobs_cli.command("retry")
def retry():
    """Try every failed job again."""
    count = queue.retry_failed()
    db.session.commit()
    click.echo(f"{count} failed jobs put back in line.")
