"""A member's own data: "Download my data" (a ZIP of JSON and files) and "Delete my account".

Auth knows only the account; each domain that keeps something of a member registers how it is
exported and what deleting the account does to it:

- `register_export(name, collect)`: `collect(user)` returns JSON-safe data for `<name>.json`, or
  (data, files) with files as [(path in the ZIP, bytes)];
- `register_erasure(name, erase)`: `erase(user, erase_text)` runs inside the deletion's transaction
  (flush, never commit): follows, drafts and keys go; posts stay as a deleted member's unless the
  member asked for their text to be erased; a contribution already in a published brief stays,
  attributed to its organisation only.

The account row stays (threads, audit entries and contributions point to it) with its name, address,
profile, password and sessions gone; both actions are audited.
"""

import io
import json
import logging
import secrets
import zipfile
from collections.abc import Callable
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from app.auth.avatars import remove_avatar
from app.auth.models import AccessToken, User
from app.core import audit, signals
from app.core.refusals import Refused
from app.core.time import utcnow
from app.drafts.models import Draft
from app.extensions import db
from app.files import services as files
from app.files.models import Upload
from app.mail.models import MailMessage
from app.notifications.models import MailDigest, MailPreference, Notification

logger = logging.getLogger(__name__)

DELETED = "deleted"  # User.approval of a deleted account: it can no longer sign in
_exports: dict[str, Callable] = {}
_erasures: dict[str, Callable] = {}


def register_export(name: str, collect: Callable) -> None:
    _exports[name] = collect


def register_erasure(name: str, erase: Callable) -> None:
    _erasures[name] = erase


def _json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def export_zip(user: User, actor: User) -> bytes:
    """The member's data as a ZIP: one JSON file per registered part, their files under files/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(_exports):
            found = _exports[name](user)
            data, files = found if isinstance(found, tuple) else (found, [])
            archive.writestr(
                f"{name}.json", json.dumps(data, ensure_ascii=False, indent=1, default=_json_default)
            )
            for path, content in files:
                archive.writestr(f"files/{path}", content)
    audit.record(actor, "account.export", "user", user.id, None)
    logger.info("Data of %s exported", user)
    return buffer.getvalue()


def delete_account(user: User, password: str, erase_text: bool) -> None:
    """Delete the member's account (the password confirms it): what each domain registered runs,
    then the account loses its name, address, profile, password, tokens and sessions."""
    if user.approval == DELETED:
        raise Refused(_l("This account is already deleted."))
    if not user.check_password(password or ""):
        raise Refused(_l("The password is wrong."), field="password")
    for name in sorted(_erasures):
        _erasures[name](user, erase_text)
    now = utcnow()
    db.session.execute(
        db.update(AccessToken)
        .where(AccessToken.user_id == user.id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    user.username = f"deleted-{user.id}"
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.display_name = ""
    user.organisation = ""
    user.country = ""
    user.bio = ""
    user.email_confirmed_at = None
    user.approval = DELETED
    user.set_password(secrets.token_urlsafe(32))  # known to nobody: the account never signs in again
    user.session_version += 1
    audit.record(user, "account.delete", "user", user.id, None, after={"erase_text": erase_text})
    db.session.flush()
    signals.user_sessions_revoked.send(user)
    logger.info("Account %s deleted (text erased: %s)", user.id, erase_text)


def profile_export(user: User) -> dict:
    return {
        "username": user.username, "email": user.email, "display_name": user.display_name,
        "organisation": user.organisation, "stakeholder_group": user.stakeholder_type, "country": user.country,
        "about": user.bio, "language": user.locale, "time_zone": user.time_zone, "joined_at": user.created_at,
        "theme": user.theme, "preferred_view": user.preferred_view,
    }  # fmt: skip


def tokens_export(user: User) -> list[dict]:
    rows = db.session.execute(db.select(AccessToken).filter_by(user_id=user.id)).scalars()
    return [
        {"name": row.name, "scopes": row.scope_set and sorted(row.scope_set), "created_at": row.created_at,
         "expires_at": row.expires_at, "last_used_at": row.last_used_at, "revoked_at": row.revoked_at}
        for row in rows
    ]  # fmt: skip


def notifications_export(user: User) -> list[dict]:
    rows = db.session.execute(
        db.select(Notification).filter_by(user_id=user.id).order_by(Notification.id)
    ).scalars()
    return [
        {"kind": row.kind, "url": row.url, "data": json.loads(row.data_json or "{}"), "created_at": row.created_at,
         "read_at": row.read_at}
        for row in rows
    ]  # fmt: skip


def files_export(user: User):
    """The files the member uploaded and did not remove, with their bytes under files/<id>-<name>."""
    rows = db.session.execute(
        db.select(Upload)
        .where(Upload.uploader_id == user.id, Upload.removed_at.is_(None))
        .order_by(Upload.id)
    ).scalars()
    listed, contents = [], []
    for row in rows:
        path = f"{row.id}-{row.name}"
        listed.append({"file": f"files/{path}", "size": row.size, "type": row.mimetype, "uploaded_at": row.created_at,
                       "attached_to": f"{row.parent_type}:{row.parent_id}" if row.parent_type else None})  # fmt: skip
        contents.append((path, files.storage().read(row.digest)))
    return listed, contents


def _forget_account_traces(user: User, erase_text: bool) -> None:
    """What infrastructure keeps of the member: notifications, mail settings and unsent mail, drafts,
    their picture."""
    for model in (Notification, MailPreference, MailDigest, Draft):
        db.session.execute(db.delete(model).where(model.user_id == user.id))
    db.session.execute(
        db.delete(MailMessage).where(MailMessage.user_id == user.id, MailMessage.sent_at.is_(None))
    )
    remove_avatar(user)


def register() -> None:
    register_export("profile", profile_export)
    register_export("api_tokens", tokens_export)
    register_export("notifications", notifications_export)
    register_export("files", files_export)
    register_erasure("account", _forget_account_traces)
    audit.register_action("account.export", _l("%(actor)s downloaded the data of the account %(target)s."))
    audit.register_action("account.delete", _l("%(actor)s deleted the account %(target)s."))
