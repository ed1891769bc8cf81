"""The schema at the latest migration and its seed rows, before the app serves or a command runs.

Core knows no domain's rows: a domain that must seed some (the action-line communities) registers a
seeder from its `init_app`; `prepare_database()` runs them after the migrations, in registration order.
"""

from collections.abc import Callable
from functools import wraps

import click
from flask import current_app
from flask_migrate import upgrade

from app.core.database import refresh_planner_statistics
from app.extensions import db

_seeders: list[Callable[[], str]] = []


def register_seeder(seed: Callable[[], str]) -> None:
    """Run `seed()` whenever the schema is prepared; it is idempotent and returns what it did ("" for
    nothing), which is echoed."""
    if seed not in _seeders:
        _seeders.append(seed)


def prepare_database() -> None:
    """Bring the schema to the latest migration and seed what the domains registered (idempotent)."""
    upgrade()
    for seed in _seeders:
        said = seed()
        db.session.commit()
        if said:
            click.echo(said)
    refresh_planner_statistics()


def with_schema_ready(command):
    """Bring the schema up to date before a command that needs tables, as `python run.py` does.

    Without it a first `flask seed-demo` or `create-admin` on a new database dies with "no such table".
    """

    @wraps(command)
    def wrapper(*args, **kwargs):
        if current_app.config["AUTO_MIGRATE"]:
            prepare_database()
        return command(*args, **kwargs)

    return wrapper
