"""Reports and the review queue (the audit log and the public log are in log.py)."""

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import User
from app.core.database import parse_id
from app.core.permissions import get_or_404, require
from app.core.refusals import write
from app.discussions.models import Post, Thread
from app.extensions import limiter
from app.moderation import services
from app.moderation.forms import (
    AccountDecisionForm,
    AppealForm,
    ApprovalForm,
    DecisionForm,
    ReportForm,
)
from app.moderation.models import (
    ReviewItem,
    can_appeal,
    can_approve_accounts,
    can_report,
    can_use_queue,
)
from app.moderation.routes import bp
from app.moderation.routes.helpers import actor
from app.moderation.services.review import moderated_communities, open_report_by


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


def _queue_page(status=200, community_id=None, **failed):
    """The queue; `failed` holds the form that was refused, as (item or user id, form)."""
    return render_template(
        "moderation/queue.html",
        items=services.queue_items(current_user, community_id),
        accounts=services.pending_accounts(current_user),
        communities=moderated_communities(current_user),
        decision_form=DecisionForm(formdata=None),
        approval_form=ApprovalForm(formdata=None),
        account_form=AccountDecisionForm(prefix="account", formdata=None),
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
