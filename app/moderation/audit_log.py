"""How moderation's actions and the forum's objects read in the audit log (see app/core/audit.py).

Posts, threads, members and communities are named for the viewer: a post or thread they may not read
is "a post" or "a thread", without a link or title; a restricted community they are not in is not named.
"""

from datetime import datetime

from flask import url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.communities.models import Community
from app.core import audit
from app.core.audit import AuditEntry, TargetName
from app.discussions.models import Post, Thread
from app.extensions import db
from app.moderation.models import ACTION_LABELS
from app.moderation.services.review import moderated_communities

HID = _l("%(actor)s hid %(target)s.")
RESTORED = _l("%(actor)s restored %(target)s.")
APPROVED_HELD = _l("%(actor)s approved %(target)s, which was held for approval.")
REJECTED_HELD = _l("%(actor)s rejected %(target)s, which was held for approval.")


def _post(post_id, entry, viewer):
    post = db.session.get(Post, post_id)
    if post is None:
        return None
    if not (post.can_read(viewer) and post.thread.can_read(viewer)):
        return TargetName(_("a post"))
    return TargetName(
        audit.label(_("a post in “%(title)s”"), title=post.thread.title),
        url_for("discussions.permalink", post_id=post.id),
    )


def _thread(thread_id, entry, viewer):
    thread = db.session.get(Thread, thread_id)
    if thread is None:
        return None
    if not thread.can_read(viewer):
        return TargetName(_("a thread"))
    return TargetName(
        audit.label(_("the thread “%(title)s”"), title=thread.title),
        url_for("discussions.show_thread", thread_id=thread.id),
    )


def _user(user_id, entry, viewer):
    user = db.session.get(User, user_id)
    if user is None:
        return None
    return TargetName(user.name, url_for("auth.profile", username=user.username))


def community_name(community, viewer) -> TargetName:
    if not community.can_read(viewer):
        return TargetName(_("a restricted community"))
    return TargetName(community.title(), url_for("communities.show", slug=community.slug))


def _community(community_id, entry, viewer):
    community = db.session.get(Community, community_id)
    return community_name(community, viewer) if community is not None else None


def _entry_community(entry, viewer) -> dict:
    community = db.session.get(Community, entry.community_id) if entry.community_id else None
    name = community_name(community, viewer) if community else TargetName(_("a community"))
    return {"community": audit.link(name.label, name.url)}


def _moved_to(entry, viewer) -> dict:
    slug = (entry.after or {}).get("community")
    community = db.session.execute(db.select(Community).filter_by(slug=slug)).scalar_one_or_none()
    name = community_name(community, viewer) if community else TargetName(_("another community"))
    return {"community": audit.link(name.label, name.url)}


def _until(key):
    def details(entry, viewer) -> dict:
        value = (entry.after or {}).get(key)
        if not value:
            return {"until": _("further notice")}
        return {"until": format_datetime(datetime.fromisoformat(value).replace(tzinfo=None), "medium")}

    return details


ACTIONS = {
    "hide_post": (HID, None),
    "restore_post": (RESTORED, None),
    "hide_thread": (HID, None),
    "restore_thread": (RESTORED, None),
    "lock_thread": (_l("%(actor)s locked %(target)s."), None),
    "unlock_thread": (_l("%(actor)s unlocked %(target)s."), None),
    "pin_thread": (_l("%(actor)s pinned %(target)s."), None),
    "unpin_thread": (_l("%(actor)s unpinned %(target)s."), None),
    "retitle_thread": (_l("%(actor)s changed the title of %(target)s."), None),
    "slow_mode": (_l("%(actor)s changed slow mode in %(target)s."), None),
    "move_thread": (_l("%(actor)s moved %(target)s to %(community)s."), _moved_to),
    "split_thread": (_l("%(actor)s split a branch of %(target)s into a new thread."), None),
    "merge_thread": (_l("%(actor)s merged %(target)s into another thread."), None),
    "edit_post": (_l("%(actor)s edited %(target)s."), None),
    "delete_post": (_l("%(actor)s deleted %(target)s."), None),
    "auto_hide": (_l("%(actor)s hid %(target)s after several reports."), None),
    "review_claim": (_l("%(actor)s took up the reports on %(target)s."), None),
    "review_approve": (_l("%(actor)s kept %(target)s after reviewing its reports."), None),
    "review_hide": (_l("%(actor)s hid %(target)s after reviewing its reports."), None),
    "review_dismiss": (_l("%(actor)s dismissed the reports on %(target)s."), None),
    "warn_user": (_l("%(actor)s warned %(target)s."), None),
    "silence_user": (_l("%(actor)s silenced %(target)s until %(until)s."), _until("silenced_until")),
    "unsilence_user": (_l("%(actor)s lifted the silence on %(target)s."), None),
    "suspend_user": (_l("%(actor)s suspended %(target)s until %(until)s."), _until("suspended_until")),
    "unsuspend_user": (_l("%(actor)s lifted the suspension of %(target)s."), None),
    "grant_moderator": (_l("%(actor)s made %(target)s a moderator of %(community)s."), _entry_community),
    "revoke_moderator": (
        _l("%(actor)s removed %(target)s as a moderator of %(community)s."),
        _entry_community,
    ),
    "set_public_log": (_l("%(actor)s changed whether %(target)s publishes its moderation log."), None),
    "approve_post": (APPROVED_HELD, None),
    "reject_post": (REJECTED_HELD, None),
    "approve_thread": (APPROVED_HELD, None),
    "reject_thread": (REJECTED_HELD, None),
    "approve_account": (_l("%(actor)s approved the new account of %(target)s."), None),
    "reject_account": (_l("%(actor)s rejected the new account of %(target)s."), None),
    "set_post_approval": (_l("%(actor)s changed whether new posts in %(target)s need approval."), None),
}


def community_choices(viewer) -> list[tuple[int, str]]:
    """The communities whose entries `viewer` may narrow the log to: all for administrators, else
    those they moderate with their sub-lines."""
    return [(community.id, community.title()) for community in moderated_communities(viewer)]


def community_entries(community_id: int):
    """SQL: the entries of a community and of its sub-lines."""
    lineage = db.select(Community.id).where(
        db.or_(Community.id == community_id, Community.parent_id == community_id)
    )
    return AuditEntry.community_id.in_(lineage)


def register() -> None:
    """Tell the audit log how moderation's actions and the forum's objects read, and how it narrows to
    a community."""
    for target_type, name in (
        ("post", _post),
        ("thread", _thread),
        ("user", _user),
        ("community", _community),
    ):
        audit.register_target(target_type, name)
    for action, (sentence, details) in ACTIONS.items():
        audit.register_action(action, sentence, details, label=ACTION_LABELS.get(action))
    audit.register_scope("community", _l("Community"), community_choices, community_entries)
