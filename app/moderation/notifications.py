"""What a member is told about a moderator's action on them or their posts.

Kinds registered with the notification centre by moderation, the domain that sends them; every
notice goes through `notify()`, so it is stored and reaches the member's bell live after the commit.
"""

from datetime import datetime

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.discussions.models import Post
from app.notifications import kinds
from app.notifications.services import notify

INDEFINITE_YEAR = 9999  # users.INDEFINITELY: a sanction "forever"


def _until(n):
    value = n.data.get("until")
    return datetime.fromisoformat(value) if value else None


def _is_indefinite(until) -> bool:
    return until is None or until.year >= INDEFINITE_YEAR


def tell(member_id: int, kind: str, actor, reason: str, url: str = "", **data) -> None:
    """One notice to the member, with the moderator's reason."""
    notify(member_id, kind, actor=actor, url=url, reason=(reason or "").strip(), **data)


def tell_hidden(target, actor, reason: str = "") -> None:
    """The author of a hidden post or thread hears of it and why (`actor` None: hidden automatically
    after reports, until a moderator reviews it). Moderators hiding their own writing are not told."""
    actor_id = getattr(actor, "id", None)
    if target.author_id is None or target.author_id == actor_id:
        return
    if isinstance(target, Post):  # the post's placeholder stays readable in its thread
        kind, url, title, target_type = "post_hidden", f"/p/{target.id}", target.thread.title, "post"
    else:  # a hidden thread is out of its author's sight: the notice itself is the record
        kind, url, title, target_type = "thread_hidden", "", target.title, "thread"
    tell(
        target.author_id, kind, actor, reason, url=url, thread_title=title, automatic=actor is None,
        target_type=target_type, target_id=target.id,
    )  # fmt: skip


def _describe_post_hidden(n):
    if n.data.get("automatic"):
        return kinds.sentence(
            _("Your post in “%(title)s” was hidden after several reports, until a moderator reviews it."),
            title=n.data.get("thread_title"),
        )  # fmt: skip
    return kinds.sentence(
        _("A moderator hid your post in “%(title)s”. Reason: %(reason)s"),
        title=n.data.get("thread_title"), reason=n.data.get("reason"),
    )  # fmt: skip


def _describe_thread_hidden(n):
    if n.data.get("automatic"):
        return kinds.sentence(
            _("Your thread “%(title)s” was hidden after several reports, until a moderator reviews it."),
            title=n.data.get("thread_title"),
        )  # fmt: skip
    return kinds.sentence(
        _("A moderator hid your thread “%(title)s”. Reason: %(reason)s"),
        title=n.data.get("thread_title"), reason=n.data.get("reason"),
    )  # fmt: skip


def _describe_silenced(n):
    until = _until(n)
    if _is_indefinite(until):
        return kinds.sentence(
            _("A moderator silenced you until further notice: you can read but not post. Reason: %(reason)s"),
            reason=n.data.get("reason"),
        )  # fmt: skip
    return kinds.sentence(
        _("A moderator silenced you until %(until)s: you can read but not post. Reason: %(reason)s"),
        until=format_datetime(until), reason=n.data.get("reason"),
    )  # fmt: skip


def _describe_suspended(n):
    until = _until(n)
    if _is_indefinite(until):
        return kinds.sentence(
            _("Your account was suspended until further notice. Reason: %(reason)s"),
            reason=n.data.get("reason"),
        )
    return kinds.sentence(
        _("Your account was suspended until %(until)s. Reason: %(reason)s"),
        until=format_datetime(until), reason=n.data.get("reason"),
    )  # fmt: skip


# Notices about the member's own account and posts: one sentence each, with the thread and reason.
PLAIN_SENTENCES = {
    "warning": _l("A moderator sent you a warning: %(reason)s"),
    "account_approved": _l("Your account was approved. Welcome to Majlis."),
    "post_approved": _l("Your post in “%(title)s” was approved and is now public."),
    "post_rejected": _l("Your post in “%(title)s” was not approved: %(reason)s"),
}


def _describe_plain(n):
    return kinds.sentence(
        str(PLAIN_SENTENCES[n.kind]), title=n.data.get("thread_title", ""), reason=n.data.get("reason", "")
    )


def _always(_notification, _user) -> bool:
    """A moderator's word to a member stands: it is about them, not about something that may go."""
    return True


def _no_excerpt(_notification):
    return None


def _appeal(notification):
    """Hidden content can be appealed by its author: the review form for it."""
    target_type, target_id = notification.data.get("target_type"), notification.data.get("target_id")
    if target_type not in ("post", "thread") or not isinstance(target_id, int):
        return None
    return (
        _("Appeal: ask the moderators to review it"),
        "moderation.appeal",
        {"target_type": target_type, "target_id": target_id},
    )


def register() -> None:
    kinds.register_mail_group("moderation", _l("Moderators' notices to me"), "immediate", 60)
    mailed = kinds.MailedKind("moderation", _always, _no_excerpt, reaches_suspended=True)
    for kind in PLAIN_SENTENCES:
        kinds.register(kind, _describe_plain, mail=mailed)
    kinds.register("post_hidden", _describe_post_hidden, mail=mailed, follow_up=_appeal)
    kinds.register("thread_hidden", _describe_thread_hidden, mail=mailed, follow_up=_appeal)
    kinds.register("silenced", _describe_silenced, mail=mailed)
    kinds.register("suspended", _describe_suspended, mail=mailed)
