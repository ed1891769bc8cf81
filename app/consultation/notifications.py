"""What a contributor is told when the secretariat moves their contribution along.

The kinds are registered with the notification centre here, by the domain that owns them; the
sentences are built when shown, in the reader's language. The link is the contribution's page,
which checks who may see it.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.notifications import kinds
from app.notifications.services import notify

RESPONSE_PREVIEW = 300

KIND_BY_ACTION = {
    "screen": "contribution_screened",
    "accept": "contribution_accepted",
    "decline": "contribution_declined",
    "merge": "contribution_merged",
    "accept_late": "contribution_accepted_late",
}


def _preview(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= RESPONSE_PREVIEW else text[: RESPONSE_PREVIEW - 1] + "…"


def tell_author(contribution, action: str, actor, url: str, note: str = "", **extra) -> None:
    """Notify the author of the secretariat's `action` (not when the author acted themselves)."""
    if contribution.author_id == getattr(actor, "id", None):
        return
    notify(
        contribution.author_id, KIND_BY_ACTION[action], actor=actor, url=url,
        reference=contribution.reference or "", title=contribution.title, reason=_preview(note), **extra,
    )  # fmt: skip


def _describe_screened(n):
    return kinds.sentence(
        _("Your contribution %(reference)s “%(title)s” is now under review by the secretariat."),
        reference=n.data.get("reference"), title=n.data.get("title"),
    )  # fmt: skip


def _describe_accepted(n):
    return kinds.sentence(
        _("Your contribution %(reference)s “%(title)s” was accepted. Official response: %(reason)s"),
        reference=n.data.get("reference"), title=n.data.get("title"), reason=n.data.get("reason"),
    )  # fmt: skip


def _describe_declined(n):
    return kinds.sentence(
        _("Your contribution %(reference)s “%(title)s” was declined. Official response: %(reason)s"),
        reference=n.data.get("reference"), title=n.data.get("title"), reason=n.data.get("reason"),
    )  # fmt: skip


def _describe_merged(n):
    return kinds.sentence(
        _("Your contribution %(reference)s “%(title)s” was merged into %(target)s. Official response: %(reason)s"),
        reference=n.data.get("reference"), title=n.data.get("title"), target=n.data.get("merged_into"),
        reason=n.data.get("reason"),
    )  # fmt: skip


def _describe_accepted_late(n):
    return kinds.sentence(
        _("Your contribution “%(title)s” was accepted after the deadline as %(reference)s: %(reason)s"),
        reference=n.data.get("reference"), title=n.data.get("title"), reason=n.data.get("reason"),
    )  # fmt: skip


def _always(_notification, _user) -> bool:
    """A decision on one's own contribution stands whatever happens to it later."""
    return True


def _no_excerpt(_notification):
    return None


def register() -> None:
    kinds.register_mail_group("contributions", _l("Decisions on my contributions"), "immediate", 50)
    mailed = kinds.MailedKind("contributions", _always, _no_excerpt)
    kinds.register("contribution_screened", _describe_screened, mail=mailed)
    kinds.register("contribution_accepted", _describe_accepted, mail=mailed)
    kinds.register("contribution_declined", _describe_declined, mail=mailed)
    kinds.register("contribution_merged", _describe_merged, mail=mailed)
    kinds.register("contribution_accepted_late", _describe_accepted_late, mail=mailed)
