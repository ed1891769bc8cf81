"""Notification kinds registered by the domain that sends them (STYLE.md habit 13).

A domain calls `register(kind, describe)` from its `init_app`; `describe(notification)` returns the
one sentence the bell and the notification centre show, in the reader's language (it runs at render
time). User-supplied values go through `isolated()`, which escapes them and wraps them in `<bdi>` so a
title in another script cannot reorder the sentence.
"""

from markupsafe import Markup, escape

_describers: dict[str, callable] = {}


def register(kind: str, describe) -> None:
    """Make `kind` a notification kind, shown with `describe(notification) -> Markup`."""
    if len(kind) > 32:  # Notification.kind is String(32)
        raise ValueError(f"notification kind too long: {kind!r}")
    _describers[kind] = describe


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
