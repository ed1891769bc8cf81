"""`flask mail status | send-test`."""

import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.mail.models import MailMessage
from app.mail.outbox import ACCOUNT, send_mail

mail_cli = AppGroup("mail", help="Outbound mail: the outbox and a test message.")


@mail_cli.command("status")
def status():
    """Messages per state, and the latest that failed for good."""
    counts = dict(
        db.session.execute(
            db.select(MailMessage.status, db.func.count(MailMessage.id)).group_by(MailMessage.status)
        ).all()
    )
    click.echo(", ".join(f"{counts.get(state, 0)} {state}" for state in ("queued", "sent", "failed")))
    failed = db.session.execute(
        db.select(MailMessage).where(MailMessage.status == "failed").order_by(MailMessage.id.desc()).limit(10)
    ).scalars()
    for row in failed:
        click.echo(f"  {row.id} to {row.to_address} ({row.subject}): {row.last_error}")


@mail_cli.command("send-test")
@click.argument("address")
def send_test(address):
    """Send a test message to ADDRESS through the configured transport (after this command commits)."""
    send_mail(address, "Majlis test message", "mail/test", category=ACCOUNT)
    db.session.commit()
    click.echo(f"Test message to {address} queued; `flask mail status` shows whether it went out.")


@mail_cli.command("inbound")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=2525, show_default=True, help="SMTP port to listen on.")
@click.option(
    "--stdin",
    "from_stdin",
    is_flag=True,
    help="Read one message from standard input (a pipe transport) and exit.",
)
def inbound_command(host, port, from_stdin):
    """Receive replies by mail: an SMTP server a mail server relays reply+… addresses to, or one message on stdin."""
    from app.mail import inbound, receiver

    if from_stdin:
        with current_app.test_request_context("/"):  # a reply's live update renders the post, as in a job
            outcome = inbound.receive(sys.stdin.buffer.read())
        click.echo(f"Inbound mail: {outcome}")
        return
    if not current_app.config.get("MAIL_REPLY_DOMAIN"):
        raise click.ClickException("Set MAIL_REPLY_DOMAIN: it names the addresses replies come to.")
    controller = receiver.start(current_app._get_current_object(), host, port)
    click.echo(f"Receiving replies by mail on {host}:{port}; Ctrl-C to stop.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        controller.stop()
