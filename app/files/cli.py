"""`flask files gc`."""

from datetime import timedelta

import click
from flask.cli import AppGroup

from app.extensions import db
from app.files import services

files_cli = AppGroup("files", help="Uploaded files.")


@files_cli.command("gc")
@click.option("--hours", default=24, show_default=True, help="Unattached uploads older than this go.")
def gc(hours):
    """Remove uploads never attached to a post or contribution, and the stored files nothing uses."""
    removed, unused = services.forget_orphans(timedelta(hours=hours))
    db.session.commit()
    services.delete_blobs(unused)
    click.echo(f"{removed} unattached uploads removed.")
