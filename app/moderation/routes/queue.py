"""Reports, the review queue, the audit log and a community's public moderation log."""

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import User
from app.communities.models import Community
from app.core import audit
from app.core.audit import AuditEntry
from app.core.database import bounded_page, parse_id
from app.core.permissions import get_or_404, require
from app.core.refusals import write
from app.discussions.models import Post, Thread
from app.extensions import db, limiter
from app.moderation import services
from app.moderation.forms import (
    AccountDecisionForm,
    AppealForm,
    ApprovalForm,
    DecisionForm,
    ReasonForm,
    ReportForm,
)
from app.moderation.models import (
    ACTION_LABELS,
    PUBLIC_ACTIONS,
    ReviewItem,
    can_appeal,
    can_approve_accounts,
    can_report,
    can_use_queue,
    can_view_audit_log,
)
from app.moderation.routes import bp
from app.moderation.routes.helpers import actor, community_or_404
from app.moderation.services.review import moderated_ids_with_children, open_report_by

LOG_PER_PAGE = 50


def _report_target(target_type, target_id):
    model = Post if target_type == "post" else Thread
    target = get_or_404(model, target_id)
    require(target.can_read(current_user), hide=True)
    return target


def _target_url(target_type, target):
    if target_type == "post":
        return url_for("discussions.permalink", post_id=target.id)
    return url_for("discussions.show_thread", thread_id=target.id)


@bp.route("/moderation/report/<any(post, thread):target_type>/<int:target_id>", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["RATELIMIT_REPORT"], methods=["POST"])
def report(target_type, target_id):
    """Report a post or thread to the moderators (one open report per member per item)."""
    target = _report_target(target_type, target_id)
    require(can_report(current_user, target))
    already = open_report_by(current_user, target_type, target.id) is not None
    form = ReportForm()
    return write(
        form,
        lambda: services.report(actor(), target, form.reason.data, (form.note.data or "").strip()),
        render=lambda: render_template(
            "moderation/report.html", form=form, target=target, target_type=target_type, already=already
        ),
        success=_target_url(target_type, target),
        message=_("Thank you. The moderators will look at it."),
        field="note",
    )


@bp.route("/moderation/appeal/<any(post, thread):target_type>/<int:target_id>", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["RATELIMIT_REPORT"], methods=["POST"])
def appeal(target_type, target_id):
    """The author of a hidden post or thread asks the moderators to restore it."""
    target = get_or_404(Post if target_type == "post" else Thread, target_id)
    require(can_appeal(current_user, target), hide=True)
    already = open_report_by(current_user, target_type, target.id) is not None
    form = AppealForm()
    return write(
        form,
        lambda: services.appeal(actor(), target, form.note.data or ""),
        render=lambda: render_template(
            "moderation/appeal.html", form=form, target=target, target_type=target_type, already=already
        ),
        success=url_for("notifications.index"),
        message=_("Your appeal is with the moderators. You will be told what they decide."),
        field="note",
    )


def _approval_communities(user):
    """The communities whose post-approval setting `user` may switch (those they moderate)."""
    query = db.select(Community).order_by(Community.position)
    if not user.is_admin:
        query = query.where(Community.id.in_(moderated_ids_with_children(user)))
    return list(db.session.execute(query).scalars())


def _queue_page(status=200, community_id=None, **failed):
    """The queue; `failed` holds the form that was refused, as (item, user or community id, form)."""
    return render_template(
        "moderation/queue.html",
        items=services.queue_items(current_user, community_id),
        accounts=services.pending_accounts(current_user),
        communities=_approval_communities(current_user),
        decision_form=DecisionForm(formdata=None),
        approval_form=ApprovalForm(formdata=None),
        account_form=AccountDecisionForm(prefix="account", formdata=None),
        setting_form=ReasonForm(prefix="approval", formdata=None),
        **failed,
    ), status


@bp.route("/moderation")
@login_required
def review_queue():
    """Everything awaiting a decision in the communities the user moderates: reported items, posts
    held for approval and (administrators) new accounts awaiting approval."""
    require(can_use_queue(current_user))
    return _queue_page(community_id=parse_id(request.args.get("community")))


def _open_item(item_id) -> ReviewItem:
    item = get_or_404(ReviewItem, item_id)
    require(item.can_review(current_user))
    return item


@bp.route("/moderation/items/<int:item_id>/claim", methods=["POST"])
@login_required
def claim_item(item_id):
    """Claim a review item so other moderators leave it to you."""
    item = _open_item(item_id)
    return write(
        None,
        lambda: services.claim(item, actor()),
        success=url_for("moderation.review_queue", _anchor=f"item-{item.id}"),
        message=_("You claimed this item."),
    )


@bp.route("/moderation/items/<int:item_id>/decide", methods=["POST"])
@login_required
def decide_item(item_id):
    """Decide an item with a note for the record: approve, hide or dismiss a reported one; approve
    (publish) or reject one held for approval."""
    item = _open_item(item_id)
    form = ApprovalForm() if item.held else DecisionForm()
    return write(
        form,
        lambda: services.decide(item, actor(), form.decision.data, form.note.data),
        render=lambda: _queue_page(failed=(item.id, form)),
        success=url_for("moderation.review_queue"),
        message=_("Decision recorded."),
        field="note",
    )


@bp.route("/moderation/accounts/<int:user_id>/<any(approve, reject):decision>", methods=["POST"])
@login_required
def decide_account(user_id, decision):
    """Administrators admit or turn away a new account awaiting approval, with a note."""
    require(can_approve_accounts(current_user))
    member = get_or_404(User, user_id)
    form = AccountDecisionForm(prefix="account")
    return write(
        form,
        lambda: services.decide_account(member, actor(), decision == "approve", form.note.data),
        render=lambda: _queue_page(failed_account=(member.id, form)),
        success=url_for("moderation.review_queue"),
        message=_("The account is approved.") if decision == "approve" else _("The account is rejected."),
        field="note",
    )


@bp.route("/moderation/c/<slug>/post-approval/<any(on, off):state>", methods=["POST"])
@login_required
def post_approval_setting(slug, state):
    """Moderators of a community hold every new post there for approval, or stop doing so."""
    community = community_or_404(slug)
    require(community.can_moderate(current_user))
    form = ReasonForm(prefix="approval")
    return write(
        form,
        lambda: services.set_post_approval(
            community, actor(), state == "on", (form.reason.data or "").strip()
        ),
        render=lambda: _queue_page(failed_setting=(community.id, form)),
        success=url_for("moderation.review_queue", _anchor="post-approval"),
        message=_("New posts in %(name)s now need approval.", name=community.code)
        if state == "on"
        else _("New posts in %(name)s are published at once.", name=community.code),
        field="reason",
    )


def _log_query(user):
    """Admins read every entry; others their communities' and their own, and their audiences' entries."""
    open_clause = db.or_(
        AuditEntry.community_id.in_(moderated_ids_with_children(user)), AuditEntry.actor_id == user.id
    )
    return db.select(AuditEntry).where(audit.readable_clause(user, open_clause))


@bp.route("/moderation/log")
@login_required
def audit_log():
    """Every moderator and administrator action: admins see all, moderators their communities'."""
    require(can_view_audit_log(current_user))
    query = _log_query(current_user)
    action = request.args.get("action")
    if action in ACTION_LABELS or (action or "").startswith("contribution"):
        query = query.where(AuditEntry.action == action)
    community_id = parse_id(request.args.get("community"))
    if community_id:
        query = query.where(AuditEntry.community_id == community_id)
    page = db.paginate(
        query.order_by(AuditEntry.id.desc()),
        page=bounded_page(request.args.get("page")),
        per_page=LOG_PER_PAGE,
        error_out=False,
    )
    return render_template("moderation/log.html", page=page, public=False)


@bp.route("/c/<slug>/moderation-log")
def public_log(slug):
    """A community's moderation log, if it publishes one: actions on content, no personal data."""
    community = community_or_404(slug)
    if not community.public_moderation_log:
        abort(404)
    query = (
        db.select(AuditEntry)
        .where(
            AuditEntry.community_id == community.id,
            AuditEntry.action.in_(PUBLIC_ACTIONS),
            AuditEntry.audience.is_(None),
        )
        .order_by(AuditEntry.id.desc())
    )
    page = db.paginate(
        query, page=bounded_page(request.args.get("page")), per_page=LOG_PER_PAGE, error_out=False
    )
    return render_template("moderation/log.html", page=page, public=True, community=community)
