"""Moderator actions on members: warn, silence, suspend (and lift), moderator rights, public log."""

import logging
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from app.communities import services as community_services
from app.communities.models import CommunityModerator
from app.core import audit, signals
from app.core.time import isoformat, utcnow
from app.extensions import db
from app.moderation.notifications import tell
from app.moderation.services.content import ModerationError
from app.notifications.models import Notification
from app.notifications.services import notify

logger = logging.getLogger(__name__)

INDEFINITELY = datetime(9999, 12, 31)
DURATIONS = {
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
    "3d": timedelta(days=3),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "365d": timedelta(days=365),
    "forever": None,
}


def until_for(duration: str) -> datetime:
    """The end of a sanction `duration` (a DURATIONS key) from now; far future for 'forever'."""
    delta = DURATIONS[duration]
    return INDEFINITELY if delta is None else utcnow() + delta


def warn(member, actor, reason: str, url: str = "") -> Notification:
    """A private notice to the member with the moderator's reason, live to their bell."""
    notice = notify(member.id, "warning", actor=actor, url=url or "", reason=reason)
    audit.record(actor, "warn_user", "user", member.id, None, reason)
    logger.info("%s warned by %s", member, actor)
    return notice


def silence(member, actor, until: datetime, reason: str) -> None:
    """The member can read but not post until `until`."""
    audit.record(
        actor,
        "silence_user",
        "user",
        member.id,
        None,
        reason,
        before={"silenced_until": isoformat(member.silenced_until)},
        after={"silenced_until": isoformat(until)},
    )
    member.silenced_until = until
    db.session.flush()
    tell(member.id, "silenced", actor, reason, until=isoformat(until))
    logger.info("%s silenced until %s by %s", member, until, actor)


def lift_silence(member, actor, reason: str) -> None:
    if not member.is_silenced:
        raise ModerationError(_l("This member is not silenced."))
    audit.record(
        actor,
        "unsilence_user",
        "user",
        member.id,
        None,
        reason,
        before={"silenced_until": isoformat(member.silenced_until)},
        after={"silenced_until": None},
    )
    member.silenced_until = None
    db.session.flush()
    logger.info("Silence of %s lifted by %s", member, actor)


def suspend(member, actor, until: datetime, reason: str) -> None:
    """The member cannot sign in until `until`; current sessions and open sockets end now."""
    audit.record(
        actor,
        "suspend_user",
        "user",
        member.id,
        None,
        reason,
        before={"suspended_until": isoformat(member.suspended_until)},
        after={"suspended_until": isoformat(until)},
    )
    member.suspended_until = until
    member.session_version += 1
    db.session.flush()
    tell(member.id, "suspended", actor, reason, until=isoformat(until))
    signals.user_sessions_revoked.send(member)
    logger.info("%s suspended until %s by %s", member, until, actor)


def lift_suspension(member, actor, reason: str) -> None:
    if not member.is_suspended:
        raise ModerationError(_l("This member is not suspended."))
    audit.record(
        actor,
        "unsuspend_user",
        "user",
        member.id,
        None,
        reason,
        before={"suspended_until": isoformat(member.suspended_until)},
        after={"suspended_until": None},
    )
    member.suspended_until = None
    db.session.flush()
    logger.info("Suspension of %s lifted by %s", member, actor)


def grant_moderator(community, member, actor, reason: str = "") -> None:
    """Make `member` a moderator (facilitator) of `community`."""
    if db.session.get(CommunityModerator, (community.id, member.id)) is not None:
        raise ModerationError(_l("%(name)s already moderates this community.", name=member.username))
    community_services.grant_moderator(community, member, actor)
    audit.record(actor, "grant_moderator", "user", member.id, community.id, reason, after={"moderator": True})


def revoke_moderator(community, member, actor, reason: str = "") -> None:
    if db.session.get(CommunityModerator, (community.id, member.id)) is None:
        raise ModerationError(_l("%(name)s does not moderate this community.", name=member.username))
    community_services.revoke_moderator(community, member, actor)
    audit.record(
        actor, "revoke_moderator", "user", member.id, community.id, reason, after={"moderator": False}
    )


def _set_community_flag(community, actor, field: str, enabled: bool, action: str, reason: str) -> None:
    if getattr(community, field) == enabled:
        raise ModerationError(_l("Nothing changed."))
    audit.record(
        actor,
        action,
        "community",
        community.id,
        community.id,
        reason,
        before={field: not enabled},
        after={field: enabled},
    )
    setattr(community, field, enabled)
    db.session.flush()
    logger.info("%s of %s set to %s by %s", field, community, enabled, actor)


def set_public_log(community, actor, enabled: bool, reason: str = "") -> None:
    """Publish (or stop publishing) the community's moderation log, without personal data."""
    _set_community_flag(community, actor, "public_moderation_log", enabled, "set_public_log", reason)


def set_post_approval(community, actor, enabled: bool, reason: str = "") -> None:
    """Hold every new thread and reply of members in `community` for a moderator's approval (or stop)."""
    _set_community_flag(community, actor, "approve_new_posts", enabled, "set_post_approval", reason)


def decide_account(member, actor, approve: bool, note: str) -> None:
    """Admit (or turn away) a new account awaiting approval; an admitted member is notified."""
    if member.approval != "pending":
        raise ModerationError(_l("This account is not awaiting approval."))
    if not note.strip():
        raise ModerationError(_l("Write a note for the record."))
    state = "approved" if approve else "rejected"
    audit.record(
        actor,
        "approve_account" if approve else "reject_account",
        "user",
        member.id,
        None,
        note.strip(),
        before={"approval": member.approval},
        after={"approval": state},
    )
    member.approval = state
    if approve:
        notify(member.id, "account_approved", actor=actor, url="/")
    db.session.flush()
    logger.info("Account %s %s by %s", member, state, actor)
