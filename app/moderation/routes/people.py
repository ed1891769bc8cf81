"""Moderator actions on members (warn, silence, suspend, lift) and a community's moderation page: its
"hold new posts" switch (its moderators), its moderators and public log setting (administrators)."""

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.auth.models import User, find_user_by_username
from app.communities.models import CommunityModerator
from app.core import audit
from app.core.actions import FormActions
from app.core.audit import AuditEntry
from app.core.permissions import require
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


_SANCTIONS = {
    "silence": (services.silence, _l("The member is silenced.")),
    "suspend": (services.suspend, _l("The member is suspended.")),
}
_LIFTS = {"silence": services.lift_silence, "suspension": services.lift_suspension}


def _sanction(member, form, sanction):
    service = _SANCTIONS[sanction][0]
    return service(member, actor(), services.until_for(form.duration.data), form.reason.data.strip())


member_actions = FormActions(
    bp, "/moderation/u/<username>", load=_sanctionable, page=_member_page, success=_member_url,
    decorators=(login_required, limiter.limit(_rate_limit, methods=["POST"])),
)  # fmt: skip
member_actions.serve_page(
    "member_tools", doc="A member's standing and the actions a moderator can take on them."
)
member_actions.add(
    "warn_member", "/warn", doc="Send the member a private warning.",
    form=lambda member: WarnForm(prefix="warn"), slot="warn_form", field="reason",
    run=lambda member, form: services.warn(member, actor(), form.reason.data.strip()),
    message=_l("The warning is sent."),
)  # fmt: skip
member_actions.add(
    "sanction_member", "/<any(silence, suspend):sanction>",
    doc="Silence (can read, cannot post) or suspend (cannot sign in) a member for a period.",
    form=lambda member: SanctionForm(prefix=request.view_args["sanction"]), field="reason", run=_sanction,
    slot="{sanction}_form", message=lambda _result, sanction: _SANCTIONS[sanction][1],
)  # fmt: skip
member_actions.add(
    "lift_sanction", "/lift-<any(silence, suspension):sanction>", doc="Lift a silence or suspension early.",
    form=lambda member: RequiredReasonForm(prefix="lift"), slot="lift_form", field="reason",
    run=lambda member, form, sanction: _LIFTS[sanction](member, actor(), form.reason.data.strip()),
    message=_l("Lifted."),
)  # fmt: skip


def _community_page(community, status=200, **forms):
    forms.setdefault("approval_form", ReasonForm(prefix="approval", formdata=None))
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
        "moderation/community.html", community=community, moderators=list(moderators),
        manages=can_manage_moderators(current_user), **forms,
    ), status  # fmt: skip


def _moderated_community(slug):
    community = community_or_404(slug)
    require(community.can_moderate(current_user))
    return community


def _manages(community, **_arguments) -> bool:
    return can_manage_moderators(current_user)


def _grant(community, form):
    member = find_user_by_username(form.username.data.strip())
    if member is None:
        raise services.ModerationError(_("There is no member with that username."))
    services.grant_moderator(community, member, actor(), (form.reason.data or "").strip())
    return member


def _revoke(community, form, user_id):
    member = db.session.get(User, user_id)
    require(member is not None, hide=True)
    services.revoke_moderator(community, member, actor(), (form.reason.data or "").strip())
    return member


def _switch_approval(community, form, state):
    services.set_post_approval(community, actor(), state == "on", (form.reason.data or "").strip())
    return community


def _approval_message(community, state):
    if state == "on":
        return _("New posts in %(name)s now need approval.", name=community.title())
    return _("New posts in %(name)s are published at once.", name=community.title())


community_actions = FormActions(
    bp, "/moderation/c/<slug>", load=_moderated_community, page=_community_page,
    success=lambda community: url_for("moderation.community_tools", slug=community.slug),
    decorators=(login_required,),
)  # fmt: skip
community_actions.serve_page(
    "community_tools",
    doc="A community's moderation page: its moderators hold new posts for approval; administrators "
    "also manage its moderators and its public moderation log.",
)
community_actions.add(
    "post_approval_setting", "/post-approval/<any(on, off):state>",
    doc="Moderators of a community hold every new post there for approval, or stop doing so.",
    form=lambda community: ReasonForm(prefix="approval"), slot="approval_form", field="reason",
    run=_switch_approval, message=_approval_message,
    success=lambda community, _result, state: url_for(
        "moderation.community_tools", slug=community.slug, _anchor="post-approval"
    ),
)  # fmt: skip
community_actions.add(
    "grant_moderator", "/moderators", doc="Make a member a moderator (facilitator) of this community.",
    form=lambda community: ModeratorForm(prefix="grant"), slot="grant_form", field="username", run=_grant,
    message=lambda member: _("%(name)s now moderates this community.", name=member.username), allow=_manages,
)  # fmt: skip
community_actions.add(
    "revoke_moderator", "/moderators/<int:user_id>/revoke", doc="Remove a moderator from this community.",
    form=lambda community: ReasonForm(prefix="revoke"), slot="revoke_form", field="reason", run=_revoke,
    message=lambda member, user_id: _("%(name)s no longer moderates this community.", name=member.username),
    allow=_manages,
)  # fmt: skip
community_actions.add(
    "public_log_setting", "/public-log/<any(on, off):state>",
    doc="Publish or withdraw the community's public moderation log.", allow=_manages,
    form=lambda community: ReasonForm(prefix="log"), slot="log_form", field="reason",
    run=lambda community, form, state: services.set_public_log(
        community, actor(), state == "on", (form.reason.data or "").strip()
    ),
    message=_l("The public moderation log setting is saved."),
)  # fmt: skip
