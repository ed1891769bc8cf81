"""The audit log: one row per moderator, administrator or review action (STYLE.md habit 11).

An entry may belong to an *audience*: a named group registered by a domain (the consultation registers
"consultation": its secretariat) and one of its ids. Such an entry is read only by that group's
members and administrators, on every page that lists entries; entries without one follow the page's
own rule (a community's moderators, the actor). Domains classify their actions with
`register_classifier`, so infrastructure knows no domain and no service has to remember it.
"""

import json
import logging

from app.core.time import utcnow
from app.extensions import db

logger = logging.getLogger(__name__)


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id = db.Column(db.Integer, primary_key=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    action = db.Column(db.String(64), nullable=False, index=True)
    target_type = db.Column(db.String(32), nullable=False)
    target_id = db.Column(db.Integer, nullable=True)
    community_id = db.Column(db.Integer, db.ForeignKey("communities.id"), nullable=True, index=True)
    reason = db.Column(db.Text, nullable=False, default="")
    before_json = db.Column(db.Text, nullable=True)
    after_json = db.Column(db.Text, nullable=True)
    # Who may read the entry beyond administrators: a registered audience and one of its ids.
    audience = db.Column(db.String(32), nullable=True)
    audience_id = db.Column(db.Integer, nullable=True)

    actor = db.relationship("User", lazy="joined")

    __table_args__ = (
        db.Index("ix_audit_entries_target", "target_type", "target_id"),
        db.Index("ix_audit_entries_audience", "audience", "audience_id"),
    )

    @property
    def before(self):
        return json.loads(self.before_json) if self.before_json else None

    @property
    def after(self):
        return json.loads(self.after_json) if self.after_json else None


_audiences = {}  # name -> member_ids(user): the audience ids `user` belongs to (a SELECT or a list)
_classifiers = {}  # action prefixes -> classify(entry): (audience, audience_id) or None


def register_audience(name: str, member_ids) -> None:
    """Declare an audience: `member_ids(user)` gives the ids (a SELECT of one column, or a list) of the
    groups of this kind the user belongs to."""
    _audiences[name] = member_ids


def register_classifier(prefixes: tuple[str, ...], classify) -> None:
    """`classify(entry)` gives (audience, audience_id) for a new entry whose action starts with one of
    `prefixes`, or None to leave it to the page's rule."""
    _classifiers[tuple(prefixes)] = classify


def audience_clause(user):
    """A SQL condition: entries with an audience `user` belongs to (administrators: every such entry)."""
    if not user.is_authenticated:
        return db.false()
    if user.is_admin:
        return AuditEntry.audience.is_not(None)
    return db.or_(
        db.false(),
        *(
            db.and_(AuditEntry.audience == name, AuditEntry.audience_id.in_(member_ids(user)))
            for name, member_ids in _audiences.items()
        ),
    )


def readable_clause(user, open_clause=None):
    """A SQL condition: the entries `user` may read. Entries without an audience follow `open_clause`
    (the page's own rule; None: all of them); administrators read everything."""
    if user.is_authenticated and user.is_admin:
        return db.true()
    unrestricted = AuditEntry.audience.is_(None)
    if open_clause is not None:
        unrestricted = db.and_(unrestricted, open_clause)
    return db.or_(unrestricted, audience_clause(user))


def in_an_audience(user) -> bool:
    """Does `user` belong to any registered audience (and so have entries of their own to read)?"""
    if not user.is_authenticated:
        return False
    for member_ids in _audiences.values():
        ids = member_ids(user)
        if not isinstance(ids, list | tuple | set):
            ids = db.session.execute(ids.limit(1)).scalars().all()
        if ids:
            return True
    return False


def _classify(entry) -> None:
    for prefixes, classify in _classifiers.items():
        if entry.action.startswith(prefixes):
            audience = classify(entry)
            if audience is not None:
                entry.audience, entry.audience_id = audience
                return


def record(
    actor,
    action: str,
    target_type: str,
    target_id=None,
    community_id=None,
    reason="",
    before=None,
    after=None,
) -> AuditEntry:
    """Write an audit row in the current transaction (it commits or rolls back with the action)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        community_id=community_id,
        reason=reason or "",
        before_json=json.dumps(before, default=str, ensure_ascii=False) if before is not None else None,
        after_json=json.dumps(after, default=str, ensure_ascii=False) if after is not None else None,
    )
    _classify(entry)
    db.session.add(entry)
    db.session.flush()
    logger.info("Audit: %s %s %s:%s", actor, action, target_type, target_id)
    return entry
