"""Moderation routes, split by audience: queue.py (reports, review queue, logs), content.py (posts and
threads), people.py (members and moderator rights). Every route authorises on the server."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)

from app.moderation.routes import content, people, queue  # noqa: E402, F401  (attach the routes)
