"""Replies by mail become posts through the same service as the reply form (app/mail/inbound.py
receives them); every reason a reply cannot be posted is said to the sender in their own words."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse

from app.auth.models import User
from app.core.languages import guess_language
from app.core.refusals import Refused
from app.discussions import services
from app.discussions.models import Post, Thread
from app.extensions import db, limiter
from app.mail import inbound


def reply_from_mail(reply: inbound.InboundReply) -> int:
    """Post `reply` as the member its address names; returns their id, or raises Refused."""
    user = db.session.get(User, reply.user_id)
    if user is None or user.email.lower() != reply.sender.lower():
        raise Refused(_l("Replies to this address must come from the address the notification was sent to."))
    thread = db.session.get(Thread, reply.thread_id)
    _check_may_reply(user, thread)
    _count_against_reply_limit(user)
    parent = db.session.get(Post, reply.post_id)
    if parent is None or parent.thread_id != thread.id or parent.is_removed or parent.is_held:
        parent = None  # the post replied to is gone: the reply goes to the thread
    services.reply(thread, user, reply.text, parent=parent, language=guess_language(reply.text, user.locale))
    return user.id


def _check_may_reply(user: User, thread: Thread | None) -> None:
    if user.is_suspended:
        raise Refused(_l("Your account is suspended."))
    if thread is None or not thread.can_read(user):
        raise Refused(_l("The thread no longer exists, or you can no longer read it."))
    if thread.locked:
        raise Refused(_l("The thread is locked: no one can reply to it now."))
    if not user.can_post():
        raise Refused(
            _l("You cannot post at the moment (you are silenced, or your address is not confirmed).")
        )
    if not thread.can_reply(user):
        raise Refused(_l("You cannot reply in this thread."))


def _count_against_reply_limit(user: User) -> None:
    """RATELIMIT_REPLY, counted per member for replies by mail as the reply form counts it on the site."""
    if not current_app.config.get("RATELIMIT_ENABLED") or not limiter.enabled:
        return
    if not limiter.limiter.hit(
        parse(current_app.config["RATELIMIT_REPLY"]), f"member:{user.id}", "reply-by-mail"
    ):
        raise Refused(_l("You have replied too often in a short time. Wait a little and reply again."))


def register() -> None:
    inbound.register_reply_handler(reply_from_mail)
