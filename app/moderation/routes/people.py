"""Moderator actions on members (warn, silence, suspend, lift) and administrators' moderator rights."""

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import User, find_user_by_username
from app.communities.models import CommunityModerator
from app.core import audit
from app.core.audit import AuditEntry
from app.core.permissions import require
from app.core.refusals import write
from app.extensions import db, limiter
from app.moderation import services
from app.moderation.forms import ModeratorForm, ReasonForm, RequiredReasonForm, SanctionForm, WarnForm
from app.moderation.models import can_manage_moderators, can_sanction
from app.moderation.routes import bp
from app.moderation.routes.helpers import actor, community_or_404, member_or_404


def _rate_limit():
    return current_app.config["RATELIMIT_MODERATION"]


def _sanctionable(username) -> User:
    member = member_or_404(username)
    require(can_sanction(current_user, member))
    return member


def _member_page(member, status=200, **forms):
    forms.setdefault("warn_form", WarnForm(prefix="warn", formdata=None))
    forms.setdefault("silence_form", SanctionForm(prefix="silence", formdata=None))
    forms.setdefault("suspend_form", SanctionForm(prefix="suspend", formdata=None))
    forms.setdefault("lift_form", RequiredReasonForm(prefix="lift", formdata=None))
    history = db.session.execute(
        db.select(AuditEntry)
        .where(
            AuditEntry.target_type == "user",
            AuditEntry.target_id == member.id,
            audit.readable_clause(current_user),
        )
        .order_by(AuditEntry.id.desc())
        .limit(50)
    ).scalars()
    return render_template("moderation/member.html", member=member, history=list(history), **forms), status


def _member_url(member):
    return url_for("moderation.member_tools", username=member.username)


@bp.route("/moderation/u/<username>")
@login_required
def member_tools(username):
    """A member's standing and the actions a moderator can take on them."""
    return _member_page(_sanctionable(username))


@bp.route("/moderation/u/<username>/warn", methods=["POST"])
@login_required
@limiter.limit(_rate_limit)
def warn_member(username):
    """Send the member a private warning."""
    member = _sanctionable(username)
    form = WarnForm(prefix="warn")
    return write(
        form,
        lambda: services.warn(member, actor(), form.reason.data.strip()),
        render=lambda: _member_page(member, warn_form=form),
        success=_member_url(member),
        message=_("The warning is sent."),
        field="reason",
    )


@bp.route("/moderation/u/<username>/<any(silence, suspend):sanction>", methods=["POST"])
@login_required
@limiter.limit(_rate_limit)
def sanction_member(username, sanction):
    """Silence (can read, cannot post) or suspend (cannot sign in) a member for a period."""
    member = _sanctionable(username)
    service = services.silence if sanction == "silence" else services.suspend
    form = SanctionForm(prefix=sanction)
    return write(
        form,
        lambda: service(member, actor(), services.until_for(form.duration.data), form.reason.data.strip()),
        render=lambda: _member_page(member, **{f"{sanction}_form": form}),
        success=_member_url(member),
        message=_("The member is silenced.") if sanction == "silence" else _("The member is suspended."),
        field="reason",
    )


@bp.route("/moderation/u/<username>/lift-<any(silence, suspension):sanction>", methods=["POST"])
@login_required
@limiter.limit(_rate_limit)
def lift_sanction(username, sanction):
    """Lift a silence or suspension early."""
    member = _sanctionable(username)
    service = services.lift_silence if sanction == "silence" else services.lift_suspension
    form = RequiredReasonForm(prefix="lift")
    return write(
        form,
        lambda: service(member, actor(), form.reason.data.strip()),
        render=lambda: _member_page(member, lift_form=form),
        success=_member_url(member),
        message=_("Lifted."),
        field="reason",
    )


def _community_page(community, status=200, **forms):
    forms.setdefault("grant_form", ModeratorForm(prefix="grant", formdata=None))
    forms.setdefault("revoke_form", ReasonForm(prefix="revoke", formdata=None))
    forms.setdefault("log_form", ReasonForm(prefix="log", formdata=None))
    moderators = db.session.execute(
        db.select(User)
        .join(CommunityModerator, CommunityModerator.user_id == User.id)
        .where(CommunityModerator.community_id == community.id)
        .order_by(User.username)
    ).scalars()
    return render_template(
        "moderation/community.html", community=community, moderators=list(moderators), **forms
    ), status


def _managed_community(slug):
    community = community_or_404(slug)
    require(can_manage_moderators(current_user))
    return community


@bp.route("/moderation/c/<slug>")
@login_required
def community_tools(slug):
    """Administrators: a community's moderators and its public moderation log setting."""
    return _community_page(_managed_community(slug))


def _grant(community, form):
    member = find_user_by_username(form.username.data.strip())
    if member is None:
        raise services.ModerationError(_("There is no member with that username."))
    services.grant_moderator(community, member, actor(), (form.reason.data or "").strip())
    return member


@bp.route("/moderation/c/<slug>/moderators", methods=["POST"])
@login_required
def grant_moderator(slug):
    """Make a member a moderator (facilitator) of this community."""
    community = _managed_community(slug)
    form = ModeratorForm(prefix="grant")
    return write(
        form,
        lambda: _grant(community, form),
        render=lambda: _community_page(community, grant_form=form),
        success=url_for("moderation.community_tools", slug=community.slug),
        message=lambda member: _("%(name)s now moderates this community.", name=member.username),
        field="username",
    )


@bp.route("/moderation/c/<slug>/moderators/<int:user_id>/revoke", methods=["POST"])
@login_required
def revoke_moderator(slug, user_id):
    """Remove a moderator from this community."""
    community = _managed_community(slug)
    member = db.session.get(User, user_id)
    require(member is not None, hide=True)
    form = ReasonForm(prefix="revoke")
    return write(
        form,
        lambda: services.revoke_moderator(community, member, actor(), (form.reason.data or "").strip()),
        render=lambda: _community_page(community, revoke_form=form),
        success=url_for("moderation.community_tools", slug=community.slug),
        message=_("%(name)s no longer moderates this community.", name=member.username),
        field="reason",
    )


@bp.route("/moderation/c/<slug>/public-log/<any(on, off):state>", methods=["POST"])
@login_required
def public_log_setting(slug, state):
    """Publish or withdraw the community's public moderation log."""
    community = _managed_community(slug)
    form = ReasonForm(prefix="log")
    return write(
        form,
        lambda: services.set_public_log(community, actor(), state == "on", (form.reason.data or "").strip()),
        render=lambda: _community_page(community, log_form=form),
        success=url_for("moderation.community_tools", slug=community.slug),
        message=_("The public moderation log setting is saved."),
        field="reason",
    )
