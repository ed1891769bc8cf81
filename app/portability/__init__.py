"""Moving a whole site between databases: `flask export` and `flask import` as JSON lines.

The format is one JSON object a line: a header (format version, schema revision, whether password
hashes are included), then one line per row in foreign-key order, then a footer with the row count
of every table so that a truncated file is refused. It moves a site from SQLite to PostgreSQL (or
back) with nothing but configuration changed.
"""


def init_app(app):
    """Register `flask export` and `flask import`."""
    from app.portability.cli import export_command, import_command

    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
