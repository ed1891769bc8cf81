"""Community pages: the home listing, a community's page (its listing filled by discussions), follow/unfollow."""

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.communities import bp, home, services
from app.communities.models import COMMUNITY_LEVELS, is_following, watch_level
from app.communities.queries import community_by_slug, community_listing, community_page_listing
from app.core.actions import FormActions
from app.core.database import bounded_page


def load_readable_community(slug):
    """The community for `slug`, or 404 when it does not exist or the user cannot read it."""
    community = community_by_slug(slug)
    if community is None or not community.can_read(current_user):
        abort(404)
    return community


@bp.route("/")
def index():
    """Home: the knowledge communities, C7's sub-lines grouped under C7."""
    top, children, stats = community_listing(current_user)
    return render_template(
        "communities/index.html", top=top, children=children, stats=stats,
        sections=home.sections_for(current_user), new_counts=home.member_counts(current_user),
    )  # fmt: skip


@bp.route("/c/<slug>")
def show(slug):
    """A community: description, follow button, and the listing a higher domain fills (its threads)."""
    community = load_readable_community(slug)
    page = bounded_page(request.args.get("page"))
    listing = community_page_listing(community, current_user, page)
    if listing is None:
        abort(404)
    listing_template, listing_context = listing
    return render_template(
        "communities/show.html",
        community=community,
        following=is_following(current_user, community),
        watch_level=watch_level(current_user, community),
        listing_template=listing_template,
        **listing_context,
    )


following = FormActions(
    bp, "/c/<slug>", load=load_readable_community, decorators=(login_required,),
    success=lambda community: url_for("communities.show", slug=community.slug),
)  # fmt: skip
following.add_switch(
    ("follow", "/follow"), ("unfollow", "/unfollow"), turn_on=services.follow, turn_off=services.unfollow,
    allow_on=lambda community: community.can_follow(current_user),
    messages=(
        lambda community: _("You follow %(name)s.", name=community.code),
        lambda community: _("You no longer follow %(name)s.", name=community.code),
    ),
    docs=("Follow a community to be notified of new threads.", "Stop following a community."),
)  # fmt: skip

LEVEL_MESSAGES = {
    "watching": lambda community: _(
        "You are watching %(name)s: every new post notifies you.", name=community.code
    ),
    "new_threads": lambda community: _("You follow %(name)s.", name=community.code),
    "tracking": lambda community: _(
        "You are tracking %(name)s: its new posts are counted, without notifications.", name=community.code
    ),
    "normal": lambda community: _("%(name)s is back to normal.", name=community.code),
    "muted": lambda community: _("%(name)s is muted.", name=community.code),
}
following.add(
    "set_level", f"/level/<any({', '.join(COMMUNITY_LEVELS)}):level>",
    doc="Set the member's watch level on a community.",
    allow=lambda community, level: community.can_follow(current_user),
    run=lambda community, _form, level: services.set_level(community, current_user._get_current_object(), level)
    or community,
    message=lambda community, level: LEVEL_MESSAGES[level](community), category="info",
)  # fmt: skip
