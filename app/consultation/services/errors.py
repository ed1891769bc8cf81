"""Errors the consultation services raise; their messages are shown to the user.

Messages are lazy strings, turned into text only when shown (inside a request, in its language).
"""

from app.core.refusals import Refused


class ConsultationError(Refused):
    """A domain rule refused the action."""


class InvalidInput(ConsultationError):
    """Several fields are wrong: `errors` maps each field name to its message."""

    def __init__(self, errors: dict):
        super().__init__(None)
        self.errors = errors

    def field_errors(self) -> dict:
        return self.errors

    def __str__(self):
        return "; ".join(f"{name}: {message}" for name, message in self.errors.items())


class NotFound(ConsultationError):
    """The action names an object the actor may not read: answered like a missing one (404), so its
    existence and title are not revealed."""

    status = 404

    def __init__(self):
        super().__init__(None)

    def __str__(self):
        return "not found"


def require_readable(actor, contribution=None, thread=None) -> None:
    """Refuse (as not found) a contribution or thread the actor may not read: a brief item or a meeting
    link would otherwise print its title to whoever names its number."""
    if contribution is not None and not contribution.can_view(actor):
        raise NotFound()
    if thread is not None and not thread.can_read(actor):
        raise NotFound()
