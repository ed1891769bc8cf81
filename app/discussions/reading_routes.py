"""Reading state: posts reported read, opening a thread at its first unread post, "mark all read",
the New and Unread lists, and watch levels on threads."""

import base64

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.communities.models import Community, readable_community_ids_clause
from app.communities.routes import load_readable_community
from app.core.actions import FormActions
from app.core.database import bounded_page, parse_id
from app.core.ratelimits import per_member
from app.core.refusals import write
from app.discussions import bp, reading, services
from app.discussions.models import THREAD_LEVELS, Post, Thread
from app.discussions.queries import page_of
from app.discussions.routes import _chosen_view, _load_thread, _thread_url
from app.extensions import db

# A transparent 1 × 1 GIF: the answer to the no-script page's "these posts were shown" image.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _ids(values) -> list[int]:
    ids = (parse_id(value) for value in list(values)[: reading.MARK_BATCH_MAX])
    return [post_id for post_id in ids if post_id is not None]


@bp.route("/t/<int:thread_id>/read", methods=["POST"])
@login_required
@per_member(lambda: current_app.config["RATELIMIT_READ"])
def mark_posts_read(thread_id):
    """Posts the member's browser saw scroll into view, sent in batches (`ids=1,2,3&seen=3`)."""
    thread = _load_thread(thread_id)
    ids = _ids(request.form.get("ids", "").split(","))
    reading.mark_read(current_user, thread, ids, seen_post_id=parse_id(request.form.get("seen")))
    db.session.commit()
    unread = reading.unread_counts(current_user, [thread.id]).get(thread.id)
    return {"unread": unread.count if unread else 0}, 200, {"Cache-Control": "no-store"}


@bp.route("/t/<int:thread_id>/read.gif")
@login_required
def posts_shown(thread_id):
    """Without JavaScript, the page's no-script image reports the posts the page showed."""
    thread = _load_thread(thread_id)
    reading.mark_read(current_user, thread, _ids(request.args.get("ids", "").split(",")))
    db.session.commit()
    return PIXEL, 200, {"Content-Type": "image/gif", "Cache-Control": "no-store"}


@bp.route("/t/<int:thread_id>/unread")
def first_unread(thread_id):
    """Open the thread at the member's first unread post, or where they last were."""
    thread = _load_thread(thread_id)
    view = _chosen_view()
    post = reading.first_unread(current_user, thread, view) if current_user.is_authenticated else None
    if post is None:
        state = reading.read_state(current_user, thread)
        seen = db.session.get(Post, state.last_seen_post_id) if state and state.last_seen_post_id else None
        post = (
            seen if seen is not None and seen.thread_id == thread.id and seen.can_read(current_user) else None
        )
    if post is None:
        return redirect(url_for("discussions.show_thread", thread_id=thread.id))
    page = page_of(post, view, current_app.config["POSTS_PER_PAGE"])
    return redirect(_thread_url(thread, view, page, anchor=f"p{post.id}"))


@bp.route("/c/<slug>/mark-read", methods=["POST"])
@login_required
def mark_community_read(slug):
    """Everything in a community (and its sub-lines) read."""
    community = load_readable_community(slug)
    communities = [community, *(child for child in community.children if child.can_read(current_user))]
    return write(
        None, lambda: reading.mark_communities_read(current_user, communities),
        success=url_for("communities.show", slug=community.slug),
        message=_("Everything in %(name)s is marked read.", name=community.code), category="info",
    )  # fmt: skip


@bp.route("/new/mark-read", methods=["POST"])
@login_required
def mark_everything_read():
    """Everything on the site the member may read marked read."""
    communities = db.session.execute(
        db.select(Community).where(readable_community_ids_clause(current_user))
    ).scalars()
    return write(
        None, lambda: reading.mark_communities_read(current_user, list(communities)),
        success=url_for("discussions.new_list"), message=_("Everything is marked read."), category="info",
    )  # fmt: skip


@bp.route("/new")
@login_required
def new_list():
    """Threads with posts unread to the member: "New" (what they follow), or `?filter=unread`
    (threads they opened or track)."""
    unread_only = request.args.get("filter") == "unread"
    community = load_readable_community(request.args["c"]) if request.args.get("c") else None
    query = reading.new_threads_query(current_user, unread_only=unread_only, community=community)
    threads = db.paginate(
        query, page=bounded_page(request.args.get("page")),
        per_page=current_app.config["THREADS_PER_PAGE"], error_out=False,
    )  # fmt: skip
    unread = reading.unread_counts(current_user, [thread.id for thread in threads.items])
    return render_template(
        "discussions/new.html", threads=threads, unread=unread, unread_only=unread_only, community=community
    )


LIVE_THREADS_MAX = 100


@bp.route("/new/count")
@login_required
def new_count():
    """For the page's script: the header's count of threads with something new and, for the list
    rows named in `?threads=1,2`, each one's "N new" label and address (threads read are left out)."""
    asked = _ids(request.args.get("threads", "").split(",")[:LIVE_THREADS_MAX])
    wanted = db.session.execute(
        db.select(Thread.id).where(Thread.id.in_(asked), Thread.readable_clause(current_user))
    ).scalars().all() if asked else []  # fmt: skip
    threads = {}
    for thread_id, unread in reading.unread_counts(current_user, wanted).items():
        opened = unread.opened
        threads[str(thread_id)] = {
            "label": ngettext("%(num)d new", "%(num)d new", unread.count) if opened else _("New"),
            "href": url_for(
                "discussions.first_unread" if opened else "discussions.show_thread", thread_id=thread_id
            ),
        }
    answer = {"count": reading.new_count(current_user), "threads": threads}
    return answer, 200, {"Cache-Control": "no-store"}


LEVEL_MESSAGES = {
    "watching": lambda: _("You are watching this thread: every new post notifies you."),
    "tracking": lambda: _("You are tracking this thread: its new posts are counted, without notifications."),
    "normal": lambda: _("This thread is back to normal."),
    "muted": lambda: _("This thread is muted."),
}

watch = FormActions(
    bp, "/t/<int:thread_id>", load=_load_thread, decorators=(login_required,),
    success=lambda thread: url_for("discussions.show_thread", thread_id=thread.id),
)  # fmt: skip
watch.add(
    "set_thread_level", f"/level/<any({', '.join(THREAD_LEVELS)}):level>",
    doc="Set the member's watch level on a thread.",
    allow=lambda thread, level: thread.can_follow(current_user),
    run=lambda thread, _form, level: services.set_thread_level(thread, current_user._get_current_object(), level) or thread,
    message=lambda _thread, level: LEVEL_MESSAGES[level](), category="info",
)  # fmt: skip
