"""Route helpers that turn permission methods into 403/404 consistently."""

from flask import abort
from flask_login import AnonymousUserMixin, current_user

from app.extensions import db

#: Someone who is not signed in: feeds, webhook payloads and the cached visitor pages are built
#: for them, whoever triggered the work.
VISITOR = AnonymousUserMixin()


def get_or_404(model, object_id):
    """Load by primary key or 404 (ids that are not integers never reach here: routes use <int:>)."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def require(allowed: bool, hide: bool = False):
    """403 unless allowed; with hide=True answer 404 so the object's existence is not revealed.

    Anonymous users are sent to sign in instead of a 403.
    """
    if allowed:
        return
    if hide:
        abort(404)
    if not current_user.is_authenticated:
        from app.extensions import login_manager

        abort(login_manager.unauthorized())
    abort(403)
