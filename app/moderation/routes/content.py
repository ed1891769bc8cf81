"""Moderator actions on posts and threads: hide/restore, split, lock, pin, title, slow mode, move, merge."""

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.communities.models import Community, readable_community_ids_clause
from app.core.actions import FormAction, FormActions
from app.core.database import MAX_ID
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


def _reason(form) -> str:
    return (form.reason.data or "").strip()


_HIDE_SERVICES = {
    "hide": {"post": services.hide_post, "thread": services.hide_thread},
    "restore": {"post": services.restore_post, "thread": services.restore_thread},
}
_HIDE_MESSAGES = {
    "hide": {"post": _l("The post is hidden."), "thread": _l("The thread is hidden.")},
    "restore": {"post": _l("The post is visible again."), "thread": _l("The thread is visible again.")},
}


def _hide_action(kind: str) -> FormAction:
    """Hide or restore a post or a thread: the same form, a reason required, on either page."""
    return FormAction(
        form=lambda target: RequiredReasonForm(prefix="hide"), slot="hide_form", field="reason",
        run=lambda target, form, change: _HIDE_SERVICES[change][kind](target, actor(), _reason(form)),
        message=lambda _result, change: _HIDE_MESSAGES[change][kind],
    )  # fmt: skip


post_actions = FormActions(
    bp, "/moderation/p/<int:post_id>", load=moderated_post, page=_post_page,
    success=lambda post: url_for("discussions.permalink", post_id=post.id),
    decorators=(login_required, limiter.limit(_rate_limit, methods=["POST"])),
)  # fmt: skip
post_actions.serve_page(
    "post_tools", doc="Moderation tools for one post: hide or restore, split its branch into a new thread."
)
post_actions.add(
    "hide_post",
    "/<any(hide, restore):change>",
    _hide_action("post"),
    doc="Hide a post (a placeholder stays and its replies stay), or show it again.",
)
post_actions.add(
    "split_post", "/split",
    doc="Move a post and all its replies into a new thread, leaving a link behind.",
    form=lambda post: SplitForm(prefix="split"), slot="split_form", field="title",
    run=lambda post, form: services.split_branch(post, actor(), form.title.data, _reason(form)),
    success=lambda post, new_thread: _thread_url(new_thread),
    message=_l("The branch is now a thread of its own."),
)  # fmt: skip


_FLAG_SERVICES = {
    "lock": (services.lock_thread, _l("The thread is locked.")),
    "unlock": (services.unlock_thread, _l("The thread is unlocked.")),
    "pin": (services.pin_thread, _l("The thread is pinned.")),
    "unpin": (services.unpin_thread, _l("The thread is unpinned.")),
}


def _move(thread, form):
    destination = db.session.execute(
        db.select(Community).filter_by(slug=form.community.data)
    ).scalar_one()  # the choices only hold communities the user moderates
    services.move_thread(thread, actor(), destination, _reason(form))
    return destination


def _merge(thread, form):
    target_id = form.target_id()
    target = db.session.get(Thread, target_id) if target_id <= MAX_ID else None
    if target is None or not target.can_read(current_user) or not target.can_moderate(current_user):
        raise services.ModerationError(_("There is no thread with that number that you moderate."))
    services.merge_threads(thread, target, actor(), _reason(form))
    return target


thread_actions = FormActions(
    bp, "/moderation/t/<int:thread_id>", load=moderated_thread, page=_thread_page,
    success=_thread_url, decorators=(login_required, limiter.limit(_rate_limit, methods=["POST"])),
)  # fmt: skip
thread_actions.serve_page("thread_tools", doc="Moderation tools for a thread.")
thread_actions.add(
    "flag_thread", "/<any(lock, unlock, pin, unpin):change>",
    doc="Lock, unlock, pin or unpin a thread (reason optional).",
    form=lambda thread: ReasonForm(prefix="flag"), slot="reason_form", field="reason",
    run=lambda thread, form, change: _FLAG_SERVICES[change][0](thread, actor(), _reason(form)),
    message=lambda _result, change: _FLAG_SERVICES[change][1],
)  # fmt: skip
thread_actions.add(
    "hide_thread",
    "/<any(hide, restore):change>",
    _hide_action("thread"),
    doc="Hide a thread from members, or show it again.",
)
thread_actions.add(
    "retitle_thread", "/title", doc="Change a thread's title.",
    form=lambda thread: TitleForm(prefix="title"), slot="title_form", field="title",
    run=lambda thread, form: services.retitle_thread(thread, actor(), form.title.data, _reason(form)),
    message=_l("The title is changed."),
)  # fmt: skip
thread_actions.add(
    "slow_mode", "/slow-mode", doc="Set the thread's slow mode: one post per member per interval.",
    form=lambda thread: SlowModeForm(prefix="slow"), slot="slow_form", field="seconds",
    run=lambda thread, form: services.set_slow_mode(thread, actor(), int(form.seconds.data), _reason(form)),
    message=_l("Slow mode is updated."),
)  # fmt: skip
thread_actions.add(
    "move_thread", "/move", doc="Move a thread to another community the moderator also moderates.",
    form=_move_form, slot="move_form", field="community", run=_move,
    message=lambda destination: _("The thread is moved to %(name)s.", name=destination.name),
)  # fmt: skip
thread_actions.add(
    "merge_thread", "/merge",
    doc="Merge this thread into another: its posts become a branch of the other thread.",
    form=lambda thread: MergeForm(prefix="merge"), slot="merge_form", field="target", run=_merge,
    success=lambda thread, target: _thread_url(target), message=_l("The threads are merged."),
)  # fmt: skip
