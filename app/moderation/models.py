"""Reports, the review queue, merged-thread redirects, and who may moderate what.

A report is one user's complaint about one post or thread. Reports about the same item gather in
one open `ReviewItem`, which is what a moderator claims and decides (approve, hide or dismiss, with
a note). An item stays open until decided; later reports open a new item.
"""

import enum

from flask_babel import lazy_gettext as _l

from app.core import audit
from app.core.time import utcnow
from app.extensions import db


class ReportReason(enum.StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    OFF_TOPIC = "off_topic"
    PERSONAL_DATA = "personal_data"
    OTHER = "other"
    APPEAL = "appeal"  # the author of hidden content asks for it back (never offered to reporters)


REASON_LABELS = {
    ReportReason.SPAM: _l("Spam"),
    ReportReason.OFFENSIVE: _l("Offensive"),
    ReportReason.OFF_TOPIC: _l("Off-topic"),
    ReportReason.PERSONAL_DATA: _l("Personal data"),
    ReportReason.OTHER: _l("Something else"),
    ReportReason.APPEAL: _l("Appeal by the author"),
}
REPORTER_REASONS = [reason for reason in ReportReason if reason != ReportReason.APPEAL]


class Decision(enum.StrEnum):
    APPROVE = "approve"  # reports: the item is fine, restore it if hidden; held items: publish it
    HIDE = "hide"  # the reports are right: hide the item
    DISMISS = "dismiss"  # close the reports, change nothing
    REJECT = "reject"  # held items and new accounts: not published / not admitted


# Decisions on reported items.
DECISION_LABELS = {
    Decision.APPROVE: _l("Approve (keep or restore it)"),
    Decision.HIDE: _l("Hide it"),
    Decision.DISMISS: _l("Dismiss the reports (change nothing)"),
}
# Decisions on posts and threads held for approval.
APPROVAL_LABELS = {
    Decision.APPROVE: _l("Approve (publish it)"),
    Decision.REJECT: _l("Reject (it stays unpublished)"),
}

TARGET_TYPES = ("post", "thread")

ACTION_LABELS = {
    "hide_post": _l("hid a post"),
    "restore_post": _l("restored a post"),
    "hide_thread": _l("hid a thread"),
    "restore_thread": _l("restored a thread"),
    "lock_thread": _l("locked a thread"),
    "unlock_thread": _l("unlocked a thread"),
    "pin_thread": _l("pinned a thread"),
    "unpin_thread": _l("unpinned a thread"),
    "retitle_thread": _l("changed a thread's title"),
    "slow_mode": _l("changed slow mode"),
    "move_thread": _l("moved a thread"),
    "split_thread": _l("split a branch into a new thread"),
    "merge_thread": _l("merged a thread into another"),
    "edit_post": _l("edited a post"),
    "delete_post": _l("deleted a post"),
    "auto_hide": _l("hid an item reported by several people"),
    "review_claim": _l("claimed a review"),
    "review_approve": _l("approved a reported item"),
    "review_hide": _l("hid a reported item"),
    "review_dismiss": _l("dismissed reports"),
    "warn_user": _l("warned a member"),
    "silence_user": _l("silenced a member"),
    "unsilence_user": _l("lifted a silence"),
    "suspend_user": _l("suspended a member"),
    "unsuspend_user": _l("lifted a suspension"),
    "grant_moderator": _l("made someone a moderator"),
    "revoke_moderator": _l("removed a moderator"),
    "set_public_log": _l("changed the public moderation log setting"),
    "approve_post": _l("approved a post held for approval"),
    "reject_post": _l("rejected a post held for approval"),
    "approve_thread": _l("approved a thread held for approval"),
    "reject_thread": _l("rejected a thread held for approval"),
    "approve_account": _l("approved a new account"),
    "reject_account": _l("rejected a new account"),
    "set_post_approval": _l("changed whether new posts need approval"),
}

# Shown in a community's public log: actions on content only, never on people.
PUBLIC_ACTIONS = frozenset(
    {
        "hide_post", "restore_post", "hide_thread", "restore_thread", "lock_thread", "unlock_thread",
        "pin_thread", "unpin_thread", "retitle_thread", "slow_mode", "move_thread", "split_thread",
        "merge_thread", "edit_post", "delete_post", "auto_hide", "review_approve", "review_hide",
        "review_dismiss", "approve_post", "reject_post", "approve_thread", "reject_thread",
        "set_post_approval",
    }
)  # fmt: skip


class ReviewItem(db.Model):
    """Something awaiting a moderator's decision: a reported post or thread, or one held for approval."""

    __tablename__ = "review_items"

    id = db.Column(db.Integer, primary_key=True)
    target_type = db.Column(db.String(16), nullable=False)
    target_id = db.Column(db.Integer, nullable=False)
    community_id = db.Column(db.Integer, db.ForeignKey("communities.id"), nullable=True, index=True)
    state = db.Column(db.String(16), nullable=False, default="open")
    auto_hidden = db.Column(db.Boolean, nullable=False, default=False)
    # A post or thread held for approval (not a report): approve publishes it, reject hides it.
    held = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    claimed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    claimed_at = db.Column(db.DateTime, nullable=True)
    resolved_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    resolved_at = db.Column(db.DateTime, nullable=True)
    decision = db.Column(db.String(16), nullable=True)
    note = db.Column(db.Text, nullable=False, default="")

    community = db.relationship("Community")
    claimed_by = db.relationship("User", foreign_keys=[claimed_by_id])
    resolved_by = db.relationship("User", foreign_keys=[resolved_by_id])
    reports = db.relationship("Report", back_populates="item", order_by="Report.id")

    __table_args__ = (
        db.CheckConstraint("state in ('open', 'resolved')", name="state"),
        db.CheckConstraint("target_type in ('post', 'thread')", name="target_type"),
        db.CheckConstraint(
            "(state = 'open' and resolved_at is null and decision is null)"
            " or (state = 'resolved' and resolved_at is not null and decision is not null)",
            name="resolution",
        ),
        db.Index(
            "uq_review_items_open_target",
            "target_type",
            "target_id",
            unique=True,
            sqlite_where=db.text("state = 'open'"),
            postgresql_where=db.text("state = 'open'"),
        ),
    )

    def __repr__(self):
        return f"<ReviewItem {self.id} {self.target_type}:{self.target_id}>"

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def target(self):
        """The reported Post or Thread (None if it no longer exists)."""
        from app.discussions.models import Post, Thread

        model = Post if self.target_type == "post" else Thread
        return db.session.get(model, self.target_id)

    def open_reports(self) -> list["Report"]:
        return [report for report in self.reports if report.closed_at is None]

    def reason_counts(self) -> list[tuple[str, int]]:
        """(reason label, how many) for this item's reports, most frequent first."""
        counts: dict[str, int] = {}
        for report in self.reports:
            counts[report.reason] = counts.get(report.reason, 0) + 1
        ordered = sorted(counts.items(), key=lambda pair: -pair[1])
        return [(REASON_LABELS.get(reason, reason), count) for reason, count in ordered]

    def can_review(self, user) -> bool:
        """Moderators of the item's community (administrators everywhere) decide it."""
        if not user.is_authenticated:
            return False
        if user.is_admin:
            return True
        return self.community is not None and user.moderates(self.community)


class Report(db.Model):
    """One user's report of a post or thread; one open report per user per item."""

    __tablename__ = "reports"

    id = db.Column(db.Integer, primary_key=True)
    item_id = db.Column(
        db.Integer, db.ForeignKey("review_items.id", ondelete="CASCADE"), nullable=False, index=True
    )
    reporter_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    target_type = db.Column(db.String(16), nullable=False)
    target_id = db.Column(db.Integer, nullable=False)
    reason = db.Column(db.String(32), nullable=False)
    note = db.Column(db.String(1000), nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    closed_at = db.Column(db.DateTime, nullable=True)

    item = db.relationship("ReviewItem", back_populates="reports")
    reporter = db.relationship("User")

    __table_args__ = (
        db.CheckConstraint(
            "reason in ('spam', 'offensive', 'off_topic', 'personal_data', 'other', 'appeal')", name="reason"
        ),
        db.Index(
            "uq_reports_open_per_reporter",
            "reporter_id",
            "target_type",
            "target_id",
            unique=True,
            sqlite_where=db.text("closed_at is null"),
            postgresql_where=db.text("closed_at is null"),
        ),
    )

    @property
    def reason_label(self):
        return REASON_LABELS.get(self.reason, self.reason)


class ThreadMerge(db.Model):
    """A thread merged into another: its address redirects to the target."""

    __tablename__ = "thread_merges"

    source_thread_id = db.Column(
        db.Integer, db.ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    target_thread_id = db.Column(
        db.Integer, db.ForeignKey("threads.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


# Permissions that are not about one object of another domain.


def can_report(user, target) -> bool:
    """Signed-in members who may post can report visible content they can read, except their own."""
    if not user.is_authenticated or not user.can_post() or not target.can_read(user):
        return False
    if target.hidden_at is not None or target.deleted_at is not None or target.held_at is not None:
        return False
    return target.author_id != user.id


def can_appeal(user, target) -> bool:
    """The author of a hidden post or thread may ask the moderators to review it, once at a time."""
    if not user.is_authenticated or target is None or target.author_id != user.id:
        return False
    return target.hidden_at is not None and target.deleted_at is None


def can_use_queue(user) -> bool:
    return user.is_authenticated and user.is_moderator


def can_view_audit_log(user) -> bool:
    """Moderators, and members of an audience with entries of its own (a consultation's secretariat)."""
    return user.is_authenticated and (user.is_moderator or audit.in_an_audience(user))


def can_export_audit_log(user) -> bool:
    """The audit log as a spreadsheet (reasons, people, internal notes) is for administrators."""
    return user.is_authenticated and user.is_admin


def can_sanction(actor, member) -> bool:
    """Moderators warn, silence and suspend members; only administrators act on moderators."""
    if not actor.is_authenticated or not actor.is_moderator or actor.id == member.id:
        return False
    if member.is_admin:
        return False
    return actor.is_admin or not member.is_moderator


def can_manage_moderators(user) -> bool:
    return user.is_authenticated and user.is_admin


def can_approve_accounts(user) -> bool:
    """New accounts awaiting approval (MUST_APPROVE_USERS) are for administrators to admit."""
    return user.is_authenticated and user.is_admin
