"""`flask export [FILE] [--with-passwords]` and `flask import FILE [--replace]`."""

import sys

import click
from flask.cli import with_appcontext

from app.extensions import db
from app.portability.services import ImportRefused, export_lines, import_lines


@click.command("export")
@click.argument("path", default="-", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--with-passwords", is_flag=True, help="Include password hashes (keep the file secret).")
@click.option("--without-files", is_flag=True, help="Leave the uploaded files out (rows only).")
@with_appcontext
def export_command(path, with_passwords, without_files):
    """Write the whole site, its uploaded files included, as JSON lines to PATH (default: standard output)."""
    out = sys.stdout if path == "-" else open(path, "w", encoding="utf-8")  # noqa: SIM115
    try:
        for line in export_lines(with_passwords=with_passwords, with_files=not without_files):
            out.write(line)
    finally:
        if out is not sys.stdout:
            out.close()
    if path != "-":
        click.echo(f"Exported to {path}" + (" (with password hashes)" if with_passwords else ""), err=True)


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--replace", is_flag=True, help="Delete every row of this database first.")
@with_appcontext
def import_command(path, replace):
    """Load an export into this database (migrated to the export's revision, and empty)."""
    source = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    try:
        counts = import_lines(source, replace=replace)
        db.session.commit()
    except ImportRefused as refused:
        db.session.rollback()
        raise click.ClickException(f"Import refused, nothing written: {refused}") from refused
    finally:
        if source is not sys.stdin:
            source.close()
    click.echo(f"Imported {sum(counts.values())} rows into {len(counts)} tables.")
    click.echo("Rebuild the search index now: flask search reindex")
