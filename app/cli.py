"""Command-line tools: `flask --app run <command>`."""

import sys

import click
from flask import Flask

from app.auth import services as auth_services
from app.auth.models import StakeholderType, find_user_by_username
from app.communities import services as community_services
from app.communities.queries import community_by_slug
from app.communities.seed import seed_communities
from app.core.schema import prepare_database, with_schema_ready
from app.extensions import db

STAKEHOLDER_GROUPS = [group.value for group in StakeholderType]


def register(app: Flask) -> None:
    @app.cli.command("create-admin")
    @click.argument("username")
    @click.argument("email")
    @click.password_option("--password", prompt="Password", help="Asked for when not given.")
    @click.option(
        "--stakeholder-type", type=click.Choice(STAKEHOLDER_GROUPS),
        help="The administrator's stakeholder group. Asked for at a terminal; otherwise left unset.",
    )  # fmt: skip
    @with_schema_ready
    def create_admin(username, email, password, stakeholder_type):
        """Create an administrator (or promote an existing USERNAME). No stakeholder group is assumed."""
        if stakeholder_type is None and sys.stdin.isatty():
            stakeholder_type = click.prompt(
                "Stakeholder group (Enter to leave it unset)", default="", show_default=False,
                type=click.Choice(["", *STAKEHOLDER_GROUPS]),
            ) or None  # fmt: skip
        user = auth_services.create_admin(username, email, password, stakeholder_type)
        db.session.commit()
        click.echo(f"{user.username} is an administrator.")

    @app.cli.command("seed")
    @with_schema_ready
    def seed():
        """Create the action-line communities that are missing."""
        added = seed_communities()
        db.session.commit()
        click.echo(f"Seeded {added} communities.")

    @app.cli.group("members")
    def members():
        """Who may read a restricted community."""

    @members.command("add")
    @click.argument("slug")
    @click.argument("username")
    @with_schema_ready
    def add_member(slug, username):
        """Give USERNAME access to the restricted community SLUG."""
        community, user = _community_and_user(slug, username)
        community_services.add_member(community, user, actor=None)
        db.session.commit()
        click.echo(f"{user.username} is a member of {community.slug}.")

    @members.command("remove")
    @click.argument("slug")
    @click.argument("username")
    @with_schema_ready
    def remove_member(slug, username):
        """End USERNAME's access to SLUG; their open pages of it stop receiving live updates."""
        community, user = _community_and_user(slug, username)
        community_services.remove_member(community, user, actor=None)
        db.session.commit()
        click.echo(f"{user.username} is no longer a member of {community.slug}.")

    @app.cli.command("prepare")
    def prepare():
        """Upgrade the schema and seed the communities."""
        prepare_database()
        click.echo("Database ready.")


def _community_and_user(slug: str, username: str):
    community, user = community_by_slug(slug), find_user_by_username(username)
    if community is None:
        raise click.ClickException(f"No community {slug!r}.")
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    return community, user
