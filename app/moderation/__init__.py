"""Moderation: reports and the review queue, actions on content and members, the audit log,
abuse limits (posting rules) and the redirect of merged threads."""

from typing import NamedTuple

from flask import abort, redirect, request, url_for

from app.core import audit
from app.discussions.post_html import register_control


def init_app(app):
    """Register the moderation blueprint, posting rules and hooks."""
    from app.moderation import audit_log, models, notifications, rules, subscribers
    from app.moderation.routes import bp

    app.register_blueprint(bp)
    app.add_template_global(models.can_report, "moderation_can_report")
    app.add_template_global(models.can_sanction, "moderation_can_sanction")
    app.add_template_global(_open_count, "moderation_open_count")
    app.add_template_global(rules.slow_mode_for, "moderation_slow_mode")
    rules.register_rules()
    audit_log.register()
    from app.moderation import api

    api.register(app)  # hide, restore, lock and unlock in the JSON API
    app.add_template_global(audit.sentence, "audit_sentence")
    notifications.register()
    subscribers.connect()
    register_control("moderation/_post_actions.html", _post_tools)
    app.before_request(_redirect_merged_threads)


class PostTools(NamedTuple):
    """Moderation's controls in a post's footer (templates/moderation/_post_actions.html)."""

    report: bool
    moderate: bool


def _post_tools(viewer, post, thread) -> PostTools:
    from app.moderation.models import can_report

    return PostTools(report=can_report(viewer, post), moderate=thread.can_moderate(viewer))


def _open_count(user) -> int:
    from app.moderation.services import open_count

    return open_count(user)


def _redirect_merged_threads():
    """A merged thread's pages lead to the thread it went into; writes to it find nothing."""
    if not request.endpoint or not request.endpoint.startswith("discussions."):
        return None
    thread_id = (request.view_args or {}).get("thread_id")
    if not isinstance(thread_id, int):
        return None
    from app.moderation.services import merged_into

    target = merged_into(thread_id)
    if target is None:
        return None
    if request.method in ("GET", "HEAD"):
        return redirect(url_for("discussions.show_thread", thread_id=target))
    abort(404)
