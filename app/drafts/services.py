"""Saving, reading and discarding drafts, and the registry of places one writes in."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete

from app.core.time import utcnow
from app.drafts.models import Draft
from app.extensions import db

# A draft is what one form holds: this many characters in all is more than any form accepts.
DRAFT_MAX_CHARS = 60_000


@dataclass(frozen=True)
class Place:
    """A kind of place: `load(target_id)` gives the object or None; `can_write(obj, user)` says whether
    the member may write there now; `fields` are the form fields a draft keeps (others are ignored;
    none listed: every field the form sends)."""

    load: Callable[[int], object | None]
    can_write: Callable[[object, object], bool]
    fields: tuple[str, ...]
    can_view: Callable[[object, object], bool] | None = None  # else the place is not found (404)


_places: dict[str, Place] = {}


def register_place(kind: str, load, can_write, fields=(), can_view=None) -> None:
    _places[kind] = Place(load, can_write, tuple(fields), can_view)


def place(kind: str) -> Place | None:
    return _places.get(kind)


def draft_of(user, kind: str, target_id: int) -> Draft | None:
    return db.session.execute(
        db.select(Draft).filter_by(user_id=user.id, kind=kind, target_id=target_id)
    ).scalar_one_or_none()


# Never kept: the form's token, its files (uploaded on their own) and which button sends it.
NOT_KEPT = frozenset({"csrf_token", "attachments", "action"})


def kept_fields(kind: str, values: dict[str, list[str]]) -> dict:
    """The registered fields among those sent (all but NOT_KEPT when the place lists none): a single
    value as text, a multiple choice as a list."""
    names = _places[kind].fields or tuple(name for name in values if name not in NOT_KEPT)
    return {name: (found if len(found) > 1 else found[0]) for name in names if (found := values.get(name))}


def save(user, kind: str, target_id: int, fields: dict) -> Draft | None:
    """Keep `fields` as the member's draft for the place (an empty form discards it)."""
    if not any(value.strip() if isinstance(value, str) else value for value in fields.values()):
        discard(user, kind, target_id)
        return None
    draft = draft_of(user, kind, target_id)
    if draft is None:
        draft = Draft(user_id=user.id, kind=kind, target_id=target_id)
        db.session.add(draft)
    draft.fields, draft.updated_at = fields, utcnow()
    db.session.flush()
    return draft


def discard(user, kind: str, target_id: int) -> None:
    """Forget the member's draft for the place (sent, or thrown away)."""
    db.session.execute(delete(Draft).filter_by(user_id=user.id, kind=kind, target_id=target_id))
