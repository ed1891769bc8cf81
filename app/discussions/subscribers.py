"""Every signal discussions listens to, in one place: how a change to a thread or post reaches the
search outbox, the members it notifies and the live rooms. Each list sits beside its handlers
(`search.py`, `notifications.py`, `live.py`); connecting them twice is harmless (blinker keeps one).
"""

from app.discussions import live, notifications, search, webhooks


def connect() -> None:
    """Connect the subscribers, in this order within each signal: index, notify, publish, webhooks."""
    for signal, subscriber in (
        *search.SUBSCRIPTIONS,
        *notifications.SUBSCRIPTIONS,
        *live.SUBSCRIPTIONS,
        *webhooks.SUBSCRIPTIONS,
    ):
        signal.connect(subscriber, weak=False)
