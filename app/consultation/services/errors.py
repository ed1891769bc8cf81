"""Errors the consultation services raise; their messages are shown to the user.

Messages are lazy strings, turned into text only when shown (inside a request, in its language).
"""


class ConsultationError(Exception):
    """A domain rule refused the action."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self):
        return str(self.message)


class InvalidInput(ConsultationError):
    """Several fields are wrong: `errors` maps each field name to its message."""

    def __init__(self, errors: dict):
        super().__init__(None)
        self.errors = errors

    def __str__(self):
        return "; ".join(f"{name}: {message}" for name, message in self.errors.items())
