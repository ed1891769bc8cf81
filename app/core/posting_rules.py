"""Rules a new post or thread must pass, contributed by other domains (slow mode, flood limits…).

Discussion services call `check(user, thread, body)` before writing; each registered rule raises
`PostingRefused` with a message for the user. Keeping the rules here lets moderation add rules
without the discussion services importing moderation. Hold rules (`register_hold`) do not refuse:
they say whether the new post is saved but held for a moderator's approval.

The rules are about a person's own posting. Nothing here runs for a staff action or for a thread the
system opens in someone's name (a contribution's discussion, on submission or on the secretariat's
decision: `start_thread(..., by_system=True)`), so a new member's limits never stop their submission
or a decision on it.
"""

from app.core.refusals import Refused

_rules = []
_hold_rules = []


class PostingRefused(Refused):
    """A posting rule refused the post; the message is shown to the user."""


def register(rule) -> None:
    """Add `rule(user, thread_or_None, body, community)`; thread is None for a new thread."""
    if rule not in _rules:
        _rules.append(rule)


def check(user, thread, body: str, community) -> None:
    for rule in _rules:
        rule(user, thread, body, community)


def register_hold(rule) -> None:
    """Add `rule(user, thread_or_None, community) -> bool`: True holds the new post for approval."""
    if rule not in _hold_rules:
        _hold_rules.append(rule)


def must_hold(user, thread, community) -> bool:
    return any(rule(user, thread, community) for rule in _hold_rules)
