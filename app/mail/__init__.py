"""Outbound mail: an outbox written in the change's transaction, delivered after the commit by the
jobs mechanism over SMTP (or to .eml files in the embedded default). Infrastructure: it imports no
domain; domains compose their own messages with `send_to_user` / `send_mail` and their templates
under templates/mail/."""

from app.core import page_cache
from app.mail.outbox import ACCOUNT, send_mail, send_to_user, site_url, unsubscribe_headers

__all__ = ["ACCOUNT", "send_mail", "send_to_user", "site_url", "unsubscribe_headers", "init_app"]


def init_app(app):
    """The delivery job, the `site_url` template helper and `flask mail`."""
    from app import jobs
    from app.mail import models  # noqa: F401  (the outbox table)
    from app.mail.cli import mail_cli
    from app.mail.outbox import DELIVER_KIND, deliver, gave_up

    page_cache.register_private_tables("mail_messages", "inbound_mail", "mail_digests", "mail_preferences")
    jobs.register(DELIVER_KIND, deliver, max_attempts=app.config["MAIL_MAX_ATTEMPTS"], gave_up=gave_up)
    app.add_template_global(site_url, "site_url")
    app.cli.add_command(mail_cli)
