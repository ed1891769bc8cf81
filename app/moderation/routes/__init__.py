"""Moderation routes, split by audience: queue.py (reports, review queue), log.py (the audit log and
public logs), content.py (posts and threads), people.py (members, moderator rights and each community's
moderation page). Every route authorises on the server."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)

from app.moderation.routes import content, log, people, queue  # noqa: E402, F401  (attach the routes)
