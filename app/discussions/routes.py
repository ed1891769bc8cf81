"""Thread and post routes: start, read (tree or flat), reply, edit, history, delete."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.communities.routes import load_readable_community
from app.core.actions import FormActions
from app.core.database import bounded_page, parse_id
from app.core.permissions import get_or_404, require
from app.core.ratelimits import per_member
from app.core.refusals import write
from app.core.wordiff import word_diff
from app.discussions import bookmarks, bp, reading, services
from app.discussions.forms import EditPostForm, NewThreadForm, ReplyForm
from app.discussions.models import Post, PostRevision, Thread
from app.discussions.post_html import PostRenderer
from app.discussions.queries import VIEWS, page_of, post_total, posts_by_ids, reply_counts, thread_page
from app.extensions import db
from app.files import services as files
from app.supports import services as support_services


def _held_flashed(written):
    """The new thread or post, after telling its author when it awaits a moderator's approval."""
    if written.is_held:
        flash(
            _(
                "Your post is saved and awaits a moderator's approval. Until then only you and the moderators see it."
            ),
            "info",
        )
    return written


def _load_thread(thread_id) -> Thread:
    thread = get_or_404(Thread, thread_id)
    require(thread.can_read(current_user), hide=True)
    return thread


def _load_post(post_id) -> Post:
    post = get_or_404(Post, post_id)
    require(post.can_read(current_user), hide=True)
    return post


def _chosen_view() -> str:
    view = request.args.get("view")
    if view in VIEWS:
        return view
    if current_user.is_authenticated:
        return current_user.preferred_view
    return "tree"


def _thread_url(thread, view, page, anchor=None):
    return url_for(
        "discussions.show_thread",
        thread_id=thread.id,
        view=view,
        page=page if page > 1 else None,
        _anchor=anchor,
    )


@bp.route("/c/<slug>/new", methods=["GET", "POST"])
@login_required
@per_member(lambda: current_app.config["RATELIMIT_NEW_THREAD"], methods=["POST"])
def new_thread(slug):
    """Start a thread in a community."""
    community = load_readable_community(slug)
    require(community.can_start_thread(current_user))
    form = NewThreadForm()
    return write(
        form,
        lambda: _held_flashed(
            services.start_thread(
                community,
                current_user,
                form.title.data,
                form.body.data,
                language=form.language.data,
                attachments=form.attachment_ids(),
                proposal=form.proposal.data,
            )
        ),
        render=lambda: render_template("discussions/new_thread.html", community=community, form=form),
        success=lambda thread: url_for("discussions.show_thread", thread_id=thread.id),
        field="body",
    )


def render_thread(thread, reply_form, status=200):
    view = _chosen_view()
    page = bounded_page(request.args.get("page"))
    window = thread_page(thread, view, page, current_app.config["POSTS_PER_PAGE"], viewer=current_user)
    watch_level, read_state = reading.thread_marks(current_user, thread)
    renderer = PostRenderer(thread, window.view, current_user)
    posts_html = renderer.tree(window.roots) if window.view == "tree" else renderer.flat(window.posts)
    return render_template(
        "discussions/thread.html",
        thread=thread,
        window=window,
        posts_html=posts_html,
        reply_form=reply_form,
        following=watch_level == "watching",
        watch_level=watch_level,
        thread_bookmark=bookmarks.bookmark_of(current_user, thread=thread),
        reading=_reading_marks(thread, window, read_state),
        supports=_proposal_supports(thread),
    ), status


def _proposal_supports(thread) -> dict | None:
    """A proposal's supports for its page: the tally and whether the reader supports it."""
    if not thread.proposal:
        return None
    return {
        "tally": support_services.tallies("thread", [thread.id])[thread.id],
        "mine": thread.id in support_services.supported_by("thread", [thread.id], current_user),
    }


def _reading_marks(thread, window, state) -> dict | None:
    """What the page shows of the member's reading: their read state for its script, the first
    unread post when it is not on this page, and where they last were."""
    if state is None:
        return (
            {"state": None, "first_unread": None, "back_to": None, "unread_after": reading.unread_cutoff()}
            if current_user.is_authenticated
            else None
        )
    on_page = {post.id for post in window.posts}
    first = reading.first_unread(current_user, thread, window.view, state)
    back_to = state.last_seen_post_id if state.last_seen_post_id not in on_page else None
    return {"state": state, "first_unread": first if first is not None and first.id not in on_page else None,
            "back_to": back_to, "unread_after": reading.unread_cutoff()}  # fmt: skip


@bp.route("/t/<int:thread_id>")
def show_thread(thread_id):
    """A thread as a tree (default) or flat (?view=flat); the choice is remembered for the user."""
    thread = _load_thread(thread_id)
    if request.args.get("view") in VIEWS and current_user.is_authenticated:
        services.set_preferred_view(current_user, request.args["view"])
        db.session.commit()
    return render_thread(thread, _prefilled_reply_form(thread))


LIVE_POSTS_MAX = 50


@bp.route("/t/<int:thread_id>/posts")
def live_posts(thread_id):
    """Posts named by room events (`?ids=1,2&view=tree`), as a reload would show them to this reader.

    Room events carry ids, never bodies (DEVELOPERS.md, "Live updates"): the page's script fetches
    the markup here, rendered from the current row with the reader's own controls by the thread
    page's own template, so a removed or edited post can never come back through a replay.
    """
    thread = _load_thread(thread_id)
    view = request.args.get("view") if request.args.get("view") in VIEWS else "tree"
    parts = request.args.get("ids", "").split(",")[:LIVE_POSTS_MAX]
    wanted = [post_id for post_id in map(parse_id, parts) if post_id is not None]
    found = posts_by_ids(thread, wanted, current_user)
    items = PostRenderer(thread, view, current_user).list_items(found, with_branch=view == "tree")
    posts = [
        {"id": post.id, "parent_id": post.parent_id, "html": html}
        for (post, _parent_author), html in zip(found, items, strict=True)
    ]
    replies = reply_counts(
        thread, {post.parent_id for post, _parent_author in found if post.parent_id}, current_user
    )
    total = post_total(thread, current_user)
    answer = {
        "posts": posts,
        "title": thread.title,
        "post_count": total,
        "post_count_label": ngettext("%(num)d post", "%(num)d posts", total),
        "reply_count_labels": {
            str(parent_id): ngettext("%(num)d reply", "%(num)d replies", count)
            for parent_id, count in replies.items()
        },
    }
    # Per reader and changing with every event: never reused from a browser or proxy cache.
    return answer, 200, {"Cache-Control": "no-store"}


def _prefilled_reply_form(thread) -> ReplyForm:
    """The reply form, aimed at ?reply_to=<post> and with its text quoted when ?quote=1."""
    form = ReplyForm(formdata=None)
    target = parse_id(request.args.get("reply_to"))
    parent = db.session.get(Post, target) if target else None
    if parent is not None and parent.thread_id == thread.id and parent.can_reply(current_user):
        form.parent_id.data = str(parent.id)
        if request.args.get("quote"):
            form.body.data = services.quote(parent)
    return form


def _reply_parent(thread, parent_id):
    """The post to reply to and an error message (one of them None)."""
    if not (parent_id or "").strip():
        return None, None
    post_id = parse_id(parent_id)
    if post_id is None:
        return None, _("The post you reply to is not in this thread.")
    parent = db.session.get(Post, post_id)
    if parent is None or parent.thread_id != thread.id:
        return None, _("The post you reply to is not in this thread.")
    if not parent.can_reply(current_user):
        return None, _("You cannot reply to that post.")
    return parent, None


@bp.route("/t/<int:thread_id>/reply", methods=["POST"])
@bp.route("/t/<int:thread_id>", methods=["POST"])
@login_required
@per_member(lambda: current_app.config["RATELIMIT_REPLY"])
def reply(thread_id):
    """Reply to the thread or to one of its posts (`parent_id`).

    The form posts to the thread's own address, so a refusal re-renders there: reloading it or
    pressing Enter in the address bar shows the thread again. /t/<id>/reply still takes a POST.
    """
    thread = _load_thread(thread_id)
    require(thread.can_reply(current_user))
    form = ReplyForm()
    return write(
        form,
        lambda: _held_flashed(_reply(thread, form)),
        render=lambda: render_thread(thread, form),
        success=_post_url,
        field="body",
    )


def _reply(thread, form) -> Post:
    parent, error = _reply_parent(thread, form.parent_id.data)
    if error is not None:
        raise services.DiscussionError(error, field="parent_id")
    return services.reply(
        thread,
        current_user,
        form.body.data,
        parent=parent,
        language=form.language.data,
        attachments=form.attachment_ids(),
    )


def _post_url(post) -> str:
    view = _chosen_view()
    return _thread_url(
        post.thread, view, page_of(post, view, current_app.config["POSTS_PER_PAGE"]), f"p{post.id}"
    )


@bp.route("/t/<int:thread_id>/reply")
def reply_address(thread_id):
    """The reply address typed or reloaded in a browser (a GET) leads to the thread's reply box."""
    return redirect(url_for("discussions.show_thread", thread_id=_load_thread(thread_id).id, _anchor="reply"))


@bp.route("/p/<int:post_id>")
def permalink(post_id):
    """Redirect to the page of the thread that shows this post."""
    post = _load_post(post_id)
    view = _chosen_view()
    page = page_of(post, view, current_app.config["POSTS_PER_PAGE"])
    if current_user.is_authenticated:  # opening a permalink reads the post it names
        reading.mark_read(current_user, post.thread, [post.id], seen_post_id=post.id)
        db.session.commit()
    return redirect(_thread_url(post.thread, view, page, anchor=f"p{post.id}"))


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id):
    """Edit a post; every version is kept."""
    post = _load_post(post_id)
    require(post.can_edit(current_user))
    form = EditPostForm(
        data=None if request.method == "POST" else {"body": post.body_source, "title": post.thread.title}
    )
    retitle = post.is_opening and post.thread.can_retitle(current_user)
    if not retitle:
        del form.title
    return write(
        form,
        lambda: services.edit_post(
            post,
            current_user,
            form.body.data,
            form.reason.data or "",
            title=form.title.data if retitle else None,
        ),
        render=lambda: render_template(
            "discussions/edit_post.html",
            post=post,
            form=form,
            attached_files=files.attachments_of("post", [post.id]).get(post.id, []),
            removed_files=files.removed_from("post", post.id),
        ),
        success=url_for("discussions.permalink", post_id=post.id),
        message=_("Your changes are saved."),
    )


@bp.route("/p/<int:post_id>/history")
def post_history(post_id):
    """Every revision of a post with who made it and when."""
    post = _load_post(post_id)
    require(post.can_view_history(current_user))
    revisions = (
        db.session.execute(
            db.select(PostRevision).filter_by(post_id=post.id).order_by(PostRevision.number.desc())
        )
        .scalars()
        .all()
    ) or [post.as_first_revision()]
    return render_template(
        "discussions/history.html",
        post=post,
        revisions=revisions,
        changes=_changes(revisions),
        removed_files=files.removed_from("post", post.id),
    )


def _changes(revisions) -> dict[int, dict]:
    """Per version after the first: its body's word-level change from the one before, and its
    title's when the title changed."""
    by_number = {revision.number: revision for revision in revisions}
    changes = {}
    for number, revision in by_number.items():
        before = by_number.get(number - 1)
        if before is None:
            continue
        title = None
        if revision.title is not None and before.title is not None and revision.title != before.title:
            title = word_diff(before.title, revision.title)
        changes[number] = {"body": word_diff(before.body_source, revision.body_source), "title": title}
    return changes


@bp.route("/p/<int:post_id>/delete", methods=["POST"])
@login_required
def delete_post(post_id):
    """Soft-delete a post: a placeholder stays, replies stay."""
    post = _load_post(post_id)
    require(post.can_delete(current_user))
    if not post.can_delete_in_thread(current_user):
        flash(_("The opening post cannot be deleted; edit it instead."), "error")
        return redirect(url_for("discussions.permalink", post_id=post.id))
    return write(
        None,
        lambda: services.delete_post(post, current_user),
        success=url_for("discussions.permalink", post_id=post.id),
        message=_("The post was deleted."),
        category="info",
    )


following = FormActions(
    bp, "/t/<int:thread_id>", load=_load_thread, decorators=(login_required,),
    success=lambda thread: url_for("discussions.show_thread", thread_id=thread.id),
)  # fmt: skip
following.add_switch(
    ("follow_thread", "/follow"), ("unfollow_thread", "/unfollow"),
    turn_on=services.follow_thread, turn_off=services.unfollow_thread,
    allow_on=lambda thread: thread.can_follow(current_user),
    docs=("Follow a thread: new replies notify you.", "Stop following a thread."),
)  # fmt: skip
