"""In-app notifications: stored rows, pushed live to the user's room."""


def init_app(app):
    """Register the notification centre and the unread count for the header."""
    from flask_login import current_user

    from app.notifications import kinds, services
    from app.notifications.routes import bp

    app.register_blueprint(bp)
    app.add_template_global(kinds.describe, "describe_notification")

    @app.context_processor
    def _unread_notifications():
        def unread():
            return services.unread_count(current_user.id) if current_user.is_authenticated else 0

        return {"unread_notifications": unread}
