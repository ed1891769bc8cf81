"""Saving a person's interface language."""

import logging

from app.extensions import db

logger = logging.getLogger(__name__)


def set_user_locale(user, locale: str) -> None:
    """Remember `locale` as `user`'s interface language (flushes; the route commits)."""
    user.locale = locale
    db.session.flush()
    logger.info("User %s chose the interface language %s", user, locale)
