"""Community actions."""

import logging

from app.communities.models import COMMUNITY_LEVELS, CommunityFollow, CommunityMember, CommunityModerator
from app.core import signals
from app.extensions import db

logger = logging.getLogger(__name__)


def follow(community, user) -> None:
    """Follow a community: its new threads notify the user (a watcher or tracker stays as they are)."""
    row = db.session.get(CommunityFollow, (community.id, user.id))
    if row is None or row.level == "muted":
        set_level(community, user, "new_threads")


def set_level(community, user, level: str) -> None:
    """Watch, follow for new threads, track, mute or leave `community` at normal (no row)."""
    if level not in COMMUNITY_LEVELS:
        raise ValueError(f"Unknown watch level {level!r}")
    row = db.session.get(CommunityFollow, (community.id, user.id))
    if level == "normal":
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(CommunityFollow(community_id=community.id, user_id=user.id, level=level))
    else:
        row.level = level
    db.session.flush()
    logger.info("%s set %s to %s", user, community, level)


def unfollow(community, user) -> None:
    follow_row = db.session.get(CommunityFollow, (community.id, user.id))
    if follow_row is not None:
        db.session.delete(follow_row)
        db.session.flush()
        logger.info("%s unfollowed %s", user, community)


def grant_moderator(community, user, actor) -> None:
    """Make `user` a facilitator (moderator) of `community`."""
    if db.session.get(CommunityModerator, (community.id, user.id)) is None:
        db.session.add(CommunityModerator(community_id=community.id, user_id=user.id))
        db.session.flush()
        logger.info("%s made moderator of %s by %s", user, community, actor)


def revoke_moderator(community, user, actor) -> None:
    row = db.session.get(CommunityModerator, (community.id, user.id))
    if row is not None:
        db.session.delete(row)
        db.session.flush()
        logger.info("%s no longer moderator of %s (by %s)", user, community, actor)
        signals.readers_changed.send(
            actor, user_ids=[user.id]
        )  # a restricted community may be closed to them now


def add_member(community, user, actor) -> None:
    """Give `user` access to a restricted `community`."""
    if db.session.get(CommunityMember, (community.id, user.id)) is None:
        db.session.add(CommunityMember(community_id=community.id, user_id=user.id))
        db.session.flush()
        user.__dict__.pop("_member_ids", None)
        logger.info("%s made member of %s by %s", user, community, actor)


def remove_member(community, user, actor) -> None:
    """End `user`'s access to a restricted `community`; their open pages of it stop receiving it."""
    row = db.session.get(CommunityMember, (community.id, user.id))
    if row is not None:
        db.session.delete(row)
        db.session.flush()
        user.__dict__.pop("_member_ids", None)
        logger.info("%s no longer member of %s (by %s)", user, community, actor)
        signals.readers_changed.send(actor, user_ids=[user.id])
