"""In-app notifications: stored rows, pushed live to the user's room."""


def init_app(app):
    """Register the notification centre and the unread count for the header."""
    from flask_login import current_user

    from app import jobs
    from app.core import page_cache
    from app.mail.cli import mail_cli
    from app.notifications import digests, kinds, mail, services
    from app.notifications.cli import digests_command
    from app.notifications.routes import bp

    app.register_blueprint(bp)
    page_cache.register_private_tables("notifications")
    jobs.register(mail.SEND_DUE, mail.send_due_mail)
    mail_cli.add_command(digests_command)
    if (
        app.config.get("JOBS_RUNNER", "background") == "background"
    ):  # scale-out: cron runs `flask mail digests`
        scheduler = digests.DigestScheduler(app)
        app.extensions["majlis_digests"] = scheduler
        app.before_request(lambda: scheduler.start_background(poll=app.config["DIGEST_POLL_SECONDS"]))
    app.add_template_global(kinds.describe, "describe_notification")
    app.add_template_global(kinds.follow_up, "notification_follow_up")

    @app.context_processor
    def _unread_notifications():
        def unread():
            return services.unread_count(current_user.id) if current_user.is_authenticated else 0

        return {"unread_notifications": unread}
