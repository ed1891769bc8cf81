"""Notification kinds registered by the domain that sends them (STYLE.md habit 13).

A domain calls `register(kind, describe)` from its `init_app`; `describe(notification)` returns the
one sentence the bell and the notification centre show, in the reader's language (it runs at render
time). User-supplied values go through `isolated()`, which escapes them and wraps them in `<bdi>` so a
title in another script cannot reorder the sentence.
"""

from dataclasses import dataclass

from markupsafe import Markup, escape

_describers: dict[str, callable] = {}


@dataclass(frozen=True)
class MailGroup:
    """Notifications a member turns on or off for mail together ("Replies to my posts")."""

    name: str
    label: object  # a lazy string
    default: str  # "off", "digest" or "immediate"
    position: int
    immediate: bool = True  # False: a group that only ever goes in the digest (deadlines coming up)


@dataclass(frozen=True)
class MailedKind:
    """How a kind goes out by mail: its group, whether a notification still stands for its reader
    (`still_stands(notification, user)`: the post may have been taken down since), what of the
    thing it is about the mail quotes (`excerpt(notification) -> Markup | None`, sanitised HTML), and
    the live room whose readers have seen it already."""

    group: str
    still_stands: callable
    excerpt: callable
    room: callable = None  # `room(notification)`: where reading live means it was seen (a thread's room)
    reaches_suspended: bool = False  # a suspension notice must reach the member it suspends
    # `reply_target(notification) -> (thread_id, post_id) | None`: what a reply to the mail answers
    # (reply by email); mails are written one per thread, answering its latest notification.
    reply_target: callable = None


_mail_groups: dict[str, MailGroup] = {}
_mailed_kinds: dict[str, MailedKind] = {}
_follow_ups: dict[str, callable] = {}


def register(kind: str, describe, mail: MailedKind | None = None, follow_up=None) -> None:
    """Make `kind` a notification kind, shown with `describe(notification) -> Markup`, and mailed
    as `mail` says (None: never mailed). `follow_up(notification) -> (label, endpoint, values) | None`
    is what the member can do about it (appeal a hidden post), offered in the centre and in mail."""
    if len(kind) > 32:  # Notification.kind is String(32)
        raise ValueError(f"notification kind too long: {kind!r}")
    _describers[kind] = describe
    if follow_up is not None:
        _follow_ups[kind] = follow_up
    if mail is not None:
        if mail.group not in _mail_groups:
            raise ValueError(f"unknown mail group {mail.group!r}: register it with register_mail_group")
        _mailed_kinds[kind] = mail


def register_mail_group(name: str, label, default: str, position: int, immediate: bool = True) -> None:
    if len(name) > 32:
        raise ValueError(f"mail group name too long: {name!r}")
    _mail_groups[name] = MailGroup(name, label, default, position, immediate)


def mail_groups() -> list[MailGroup]:
    return sorted(_mail_groups.values(), key=lambda group: group.position)


def mail_group(name: str) -> MailGroup | None:
    return _mail_groups.get(name)


def mailed_kind(kind: str) -> MailedKind | None:
    return _mailed_kinds.get(kind)


def mailed_kinds() -> dict[str, MailedKind]:
    return dict(_mailed_kinds)


def follow_up(notification):
    """(label, endpoint, url values) of what the member can do about `notification`, or None."""
    offer = _follow_ups.get(notification.kind)
    return offer(notification) if offer is not None else None


def is_registered(kind: str) -> bool:
    return kind in _describers


def describe(notification) -> Markup | None:
    """The registered sentence for `notification`, or None when its kind is not registered."""
    describer = _describers.get(notification.kind)
    return describer(notification) if describer is not None else None


def isolated(value) -> Markup:
    """An escaped user-supplied value, isolated for bidirectional text."""
    return Markup("<bdi>%s</bdi>") % (value if value is not None else "")


def sentence(template: str, **values) -> Markup:
    """A translated `template` (already passed through gettext) with its values escaped and isolated."""
    return escape(template) % {name: isolated(value) for name, value in values.items()}
