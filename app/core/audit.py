"""The audit log: one row per moderator, administrator or review action (STYLE.md habit 11).

An entry may belong to an *audience*: a named group registered by a domain (the consultation registers
"consultation": its secretariat) and one of its ids. Such an entry is read only by that group's
members and administrators, on every page that lists entries; entries without one follow the page's
own rule (a community's moderators, the actor). Domains classify their actions with
`register_classifier`, so infrastructure knows no domain and no service has to remember it.

Each entry reads as a sentence in the viewer's language ("Amina hid a post in “Rural clinics”"):
a domain registers how each of its actions reads (`register_action`, with a short label for lists of
actions) and how its objects are named and linked for a viewer (`register_target`);
`sentence(entry, viewer)` puts them together. An object the viewer may not read is named generically,
without a link.

A domain also says how the log narrows to one of its objects (`register_scope`: a community's entries,
a consultation's): the choices it offers a viewer and the SQL condition. A scope only ever narrows the
entries a page may list (`readable_clause`), so no value sent widens what a viewer reads.
"""

import json
import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

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


@dataclass(frozen=True)
class ActionKind:
    """How an action reads: a sentence with %(actor)s and %(target)s, and `details(entry, viewer)`
    giving its other placeholders (plain text is escaped on output; links come as Markup); `label`
    names the action in a list ("hid a post")."""

    sentence: object
    details: object = None
    label: object = None


@dataclass(frozen=True)
class TargetName:
    """An object as the viewer may know it: a label, and a URL if the viewer may open it."""

    label: object
    url: str | None = None


_actions = {}  # action -> ActionKind
_targets = {}  # target_type -> name(target_id, entry, viewer) -> TargetName
FALLBACK = _l("%(actor)s changed %(target)s.")


def register_action(action: str, sentence, details=None, label=None) -> None:
    """Say how `action` reads: `sentence` (a lazy string using %(actor)s, %(target)s and the keys
    `details(entry, viewer)` returns), and `label`, a lazy string naming it in a list of actions."""
    _actions[action] = ActionKind(sentence, details, label)


def register_target(target_type: str, name) -> None:
    """`name(target_id, entry, viewer)` gives a TargetName for an object of `target_type`."""
    _targets[target_type] = name


def registered_actions() -> dict:
    return dict(_actions)


class _Elided(dict):
    def __missing__(self, key):
        return "…"


def action_label(action: str) -> str:
    """The action as a list names it: its label, else its sentence with "…" for each object."""
    kind = _actions.get(action)
    if kind is None:
        return action
    if kind.label is not None:
        return str(kind.label)
    return str(kind.sentence) % _Elided()


@dataclass(frozen=True)
class Scope:
    """A way to narrow the log to one object's entries: `choices(viewer)` gives the (id, label) pairs
    the viewer may choose from, `clause(object_id)` the SQL condition on AuditEntry."""

    label: object
    choices: object
    clause: object


_scopes = {}  # name -> Scope, in registration order


def register_scope(name: str, label, choices, clause) -> None:
    """Let the log be narrowed to one object of a kind (`name` is the page's query argument)."""
    _scopes[name] = Scope(label, choices, clause)


def registered_scopes() -> dict:
    return dict(_scopes)


def label(message: str, **names) -> Markup:
    """A translated label naming an object, e.g. label(_("the thread “%(title)s”"), title=...):
    each name (user text, codes) is isolated in <bdi> so a Latin title reads right in Arabic."""
    return escape(message) % {key: Markup("<bdi>%s</bdi>") % value for key, value in names.items()}


def link(label, url=None) -> Markup:
    """An object's name, as a link when there is a URL."""
    label = Markup('<bdi class="audit-object">%s</bdi>') % label
    return Markup('<a href="%s">%s</a>') % (url, label) if url else label


def target_name(entry, viewer, target_type=None, target_id=None) -> TargetName:
    """The entry's target (or another object it mentions) as `viewer` may know it."""
    target_type = target_type or entry.target_type
    target_id = entry.target_id if target_id is None else target_id
    name = _targets.get(target_type)
    if name is not None and target_id is not None:
        found = name(target_id, entry, viewer)
        if found is not None:
            return found
    return TargetName(_("an item that no longer exists") if name else _("an item"))


def sentence(entry, viewer, public: bool = False) -> Markup:
    """The entry as one sentence in the current language, with links to what `viewer` may open.
    `public`: for a community's public log, which names no one."""
    kind = _actions.get(entry.action) or ActionKind(FALLBACK)
    if public:
        actor = _("A moderator")
    elif entry.actor_id is not None:
        actor = target_name(entry, viewer, "user", entry.actor_id)
        actor = link(actor.label, actor.url)
    else:
        actor = _("The system")
    target = target_name(entry, viewer)
    values = {"actor": actor, "target": link(target.label, target.url)}
    if kind.details is not None:
        values.update({key: "" if v is None else v for key, v in kind.details(entry, viewer).items()})
    return escape(str(kind.sentence)) % values
