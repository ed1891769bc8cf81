"""Supporting, withdrawing, and the counts by stakeholder group (one statement for many items)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.auth.models import STAKEHOLDER_LABELS, StakeholderType
from app.core import audit
from app.core.refusals import Refused
from app.extensions import db
from app.supports.models import Support

logger = logging.getLogger(__name__)

STAKEHOLDER_ORDER = tuple(group.value for group in StakeholderType)
UNSTATED = "unstated"


def group_label(group: str):
    if group in STAKEHOLDER_ORDER:
        return STAKEHOLDER_LABELS[StakeholderType(group)]
    return _l("Group not stated")


@dataclass(frozen=True)
class Target:
    """A kind of item that takes supports: `load(id)`, `can_view(obj, user)` (else it is not found),
    `can_support(obj, user)` (may this member give or withdraw a support at all), `is_open(obj)` (are
    supports still taken), `community_id(obj)` (for the audit log) and `url(obj)` (where to go back)."""

    load: Callable
    can_view: Callable
    can_support: Callable
    is_open: Callable
    community_id: Callable
    url: Callable


_targets: dict[str, Target] = {}


def register_target(kind: str, *, load, can_view, can_support, is_open, community_id, url) -> None:
    _targets[kind] = Target(load, can_view, can_support, is_open, community_id, url)


def target(kind: str) -> Target | None:
    return _targets.get(kind)


@dataclass
class Tally:
    """An item's supports: the total and the count per stakeholder group (in the groups' order)."""

    total: int = 0
    by_group: dict[str, int] = field(default_factory=dict)

    def groups(self) -> list[tuple[str, int]]:
        order = [*STAKEHOLDER_ORDER, UNSTATED]
        return [(group, self.by_group[group]) for group in order if self.by_group.get(group)]


def _row(kind, item, user) -> Support | None:
    return db.session.execute(
        db.select(Support).filter_by(target_type=kind, target_id=item.id, user_id=user.id)
    ).scalar_one_or_none()


def support(kind: str, item, user) -> Support:
    """Back `item` once; refused once supports have closed."""
    if not _targets[kind].is_open(item):
        raise Refused(_l("Supports are closed."))
    row = _row(kind, item, user)
    if row is not None:
        raise Refused(_l("You already support this."))
    row = Support(
        target_type=kind, target_id=item.id, user_id=user.id, stakeholder_type=user.stakeholder_type
    )
    db.session.add(row)
    db.session.flush()
    logger.info("%s supports %s %s", user, kind, item.id)
    return row


def withdraw(kind: str, item, user) -> bool:
    """Take a support back while supports are open; True when it is withdrawn. After they close the
    attempt is refused (False) and recorded in the audit log: the record of who backed what must not
    change after the count. Either way the caller commits (the attempt is part of the record)."""
    row = _row(kind, item, user)
    if row is None:
        raise Refused(_l("You do not support this."))
    community_id = _targets[kind].community_id(item)
    if not _targets[kind].is_open(item):
        audit.record(user, "support.withdraw_after_close", kind, item.id, community_id)
        return False
    db.session.delete(row)
    audit.record(user, "support.withdraw", kind, item.id, community_id)
    logger.info("%s withdrew their support for %s %s", user, kind, item.id)
    return True


def tallies(kind: str, item_ids) -> dict[int, Tally]:
    """Each item's supports by stakeholder group, in one grouped statement."""
    found: dict[int, Tally] = {item_id: Tally() for item_id in item_ids}
    if not found:
        return found
    rows = db.session.execute(
        db.select(Support.target_id, Support.stakeholder_type, db.func.count(Support.id))
        .where(Support.target_type == kind, Support.target_id.in_(list(found)))
        .group_by(Support.target_id, Support.stakeholder_type)
    )
    for item_id, group, count in rows:
        tally = found[item_id]
        tally.total += count
        key = group if group in STAKEHOLDER_ORDER else UNSTATED
        tally.by_group[key] = tally.by_group.get(key, 0) + count
    return found


def supported_by(kind: str, item_ids, user) -> set[int]:
    """Which of the items `user` supports (one statement)."""
    if not user.is_authenticated or not item_ids:
        return set()
    rows = db.session.execute(
        db.select(Support.target_id).where(
            Support.target_type == kind, Support.target_id.in_(list(item_ids)), Support.user_id == user.id
        )
    ).scalars()
    return set(rows)


def count_column(kind: str, id_column):
    """SQL: an item's support count, to sort a list by "most supported"."""
    return (
        db.select(db.func.count(Support.id))
        .where(Support.target_type == kind, Support.target_id == id_column)
        .scalar_subquery()
    )
