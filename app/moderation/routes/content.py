"""Moderator actions on posts and threads: hide/restore, split, lock, pin, title, slow mode, move, merge."""

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.communities.models import Community, readable_community_ids_clause
from app.core.database import MAX_ID
from app.core.refusals import write
from app.discussions.models import Thread
from app.extensions import db, limiter
from app.moderation import services
from app.moderation.forms import (
    MergeForm,
    MoveForm,
    ReasonForm,
    RequiredReasonForm,
    SlowModeForm,
    SplitForm,
    TitleForm,
)
from app.moderation.routes import bp
from app.moderation.routes.helpers import actor, moderated_post, moderated_thread


def _rate_limit():
    return current_app.config["RATELIMIT_MODERATION"]


def _post_page(post, status=200, **forms):
    forms.setdefault("hide_form", RequiredReasonForm(prefix="hide", formdata=None))
    forms.setdefault("split_form", SplitForm(prefix="split", formdata=None))
    return render_template("moderation/post.html", post=post, thread=post.thread, **forms), status


def _movable_communities(thread):
    """Communities the user may move this thread to: readable, moderated, not the current one."""
    rows = db.session.execute(
        db.select(Community).where(readable_community_ids_clause(current_user)).order_by(Community.position)
    ).scalars()
    return [c for c in rows if c.id != thread.community_id and c.can_moderate(current_user)]


def _move_form(thread, formdata=True):
    form = MoveForm(prefix="move") if formdata else MoveForm(prefix="move", formdata=None)
    form.community.choices = [(c.slug, c.title()) for c in _movable_communities(thread)]
    return form


def _thread_page(thread, status=200, **forms):
    forms.setdefault("reason_form", ReasonForm(prefix="flag", formdata=None))
    forms.setdefault("hide_form", RequiredReasonForm(prefix="hide", formdata=None))
    forms.setdefault("title_form", TitleForm(prefix="title", formdata=None, data={"title": thread.title}))
    forms.setdefault(
        "slow_form",
        SlowModeForm(prefix="slow", formdata=None, data={"seconds": str(thread.slow_mode_seconds)}),
    )
    forms.setdefault("move_form", _move_form(thread, formdata=False))
    forms.setdefault("merge_form", MergeForm(prefix="merge", formdata=None))
    return render_template("moderation/thread.html", thread=thread, **forms), status


def _thread_url(thread):
    return url_for("discussions.show_thread", thread_id=thread.id)


@bp.route("/moderation/p/<int:post_id>")
@login_required
def post_tools(post_id):
    """Moderation tools for one post: hide or restore, split its branch into a new thread."""
    return _post_page(moderated_post(post_id))


@bp.route("/moderation/p/<int:post_id>/<any(hide, restore):change>", methods=["POST"])
@login_required
@limiter.limit(_rate_limit)
def hide_post(post_id, change):
    """Hide a post (a placeholder stays and its replies stay), or show it again."""
    post = moderated_post(post_id)
    service = services.hide_post if change == "hide" else services.restore_post
    form = RequiredReasonForm(prefix="hide")
    return write(
        form,
        lambda: service(post, actor(), form.reason.data.strip()),
        render=lambda: _post_page(post, hide_form=form),
        success=url_for("discussions.permalink", post_id=post.id),
        message=_("The post is hidden.") if change == "hide" else _("The post is visible again."),
        field="reason",
    )


@bp.route("/moderation/p/<int:post_id>/split", methods=["POST"])
@login_required
@limiter.limit(_rate_limit)
def split_post(post_id):
    """Move a post and all its replies into a new thread, leaving a link behind."""
    post = moderated_post(post_id)
    form = SplitForm(prefix="split")
    return write(
        form,
        lambda: services.split_branch(post, actor(), form.title.data, form.reason.data.strip()),
        render=lambda: _post_page(post, split_form=form),
        success=_thread_url,  # of the new thread
        message=_("The branch is now a thread of its own."),
        field="title",
    )


@bp.route("/moderation/t/<int:thread_id>")
@login_required
def thread_tools(thread_id):
    """Moderation tools for a thread."""
    return _thread_page(moderated_thread(thread_id))


_FLAG_SERVICES = {
    "lock": services.lock_thread,
    "unlock": services.unlock_thread,
    "pin": services.pin_thread,
    "unpin": services.unpin_thread,
}


@bp.route("/moderation/t/<int:thread_id>/<any(lock, unlock, pin, unpin):change>", methods=["POST"])
@login_required
@limiter.limit(_rate_limit)
def flag_thread(thread_id, change):
    """Lock, unlock, pin or unpin a thread (reason optional)."""
    thread = moderated_thread(thread_id)
    messages = {
        "lock": _("The thread is locked."),
        "unlock": _("The thread is unlocked."),
        "pin": _("The thread is pinned."),
        "unpin": _("The thread is unpinned."),
    }
    form = ReasonForm(prefix="flag")
    return write(
        form,
        lambda: _FLAG_SERVICES[change](thread, actor(), (form.reason.data or "").strip()),
        render=lambda: _thread_page(thread, reason_form=form),
        success=_thread_url(thread),
        message=messages[change],
        field="reason",
    )


@bp.route("/moderation/t/<int:thread_id>/<any(hide, restore):change>", methods=["POST"])
@login_required
@limiter.limit(_rate_limit)
def hide_thread(thread_id, change):
    """Hide a thread from members, or show it again."""
    thread = moderated_thread(thread_id)
    service = services.hide_thread if change == "hide" else services.restore_thread
    form = RequiredReasonForm(prefix="hide")
    return write(
        form,
        lambda: service(thread, actor(), form.reason.data.strip()),
        render=lambda: _thread_page(thread, hide_form=form),
        success=_thread_url(thread),
        message=_("The thread is hidden.") if change == "hide" else _("The thread is visible again."),
        field="reason",
    )


@bp.route("/moderation/t/<int:thread_id>/title", methods=["POST"])
@login_required
@limiter.limit(_rate_limit)
def retitle_thread(thread_id):
    """Change a thread's title."""
    thread = moderated_thread(thread_id)
    form = TitleForm(prefix="title")
    return write(
        form,
        lambda: services.retitle_thread(thread, actor(), form.title.data, (form.reason.data or "").strip()),
        render=lambda: _thread_page(thread, title_form=form),
        success=_thread_url(thread),
        message=_("The title is changed."),
        field="title",
    )


@bp.route("/moderation/t/<int:thread_id>/slow-mode", methods=["POST"])
@login_required
@limiter.limit(_rate_limit)
def slow_mode(thread_id):
    """Set the thread's slow mode: one post per member per interval."""
    thread = moderated_thread(thread_id)
    form = SlowModeForm(prefix="slow")
    return write(
        form,
        lambda: services.set_slow_mode(
            thread, actor(), int(form.seconds.data), (form.reason.data or "").strip()
        ),
        render=lambda: _thread_page(thread, slow_form=form),
        success=_thread_url(thread),
        message=_("Slow mode is updated."),
        field="seconds",
    )


def _move(thread, form):
    destination = db.session.execute(
        db.select(Community).filter_by(slug=form.community.data)
    ).scalar_one()  # the choices only hold communities the user moderates
    services.move_thread(thread, actor(), destination, form.reason.data.strip())
    return destination


@bp.route("/moderation/t/<int:thread_id>/move", methods=["POST"])
@login_required
@limiter.limit(_rate_limit)
def move_thread(thread_id):
    """Move a thread to another community the moderator also moderates."""
    thread = moderated_thread(thread_id)
    form = _move_form(thread)
    return write(
        form,
        lambda: _move(thread, form),
        render=lambda: _thread_page(thread, move_form=form),
        success=_thread_url(thread),
        message=lambda destination: _("The thread is moved to %(name)s.", name=destination.name),
        field="community",
    )


def _merge(thread, form):
    target_id = form.target_id()
    target = db.session.get(Thread, target_id) if target_id <= MAX_ID else None
    if target is None or not target.can_read(current_user) or not target.can_moderate(current_user):
        raise services.ModerationError(_("There is no thread with that number that you moderate."))
    services.merge_threads(thread, target, actor(), form.reason.data.strip())
    return target


@bp.route("/moderation/t/<int:thread_id>/merge", methods=["POST"])
@login_required
@limiter.limit(_rate_limit)
def merge_thread(thread_id):
    """Merge this thread into another: its posts become a branch of the other thread."""
    thread = moderated_thread(thread_id)
    form = MergeForm(prefix="merge")
    return write(
        form,
        lambda: _merge(thread, form),
        render=lambda: _thread_page(thread, merge_form=form),
        success=_thread_url,  # of the thread merged into
        message=_("The threads are merged."),
        field="target",
    )
