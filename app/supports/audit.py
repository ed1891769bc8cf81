"""How supports' steps read in the audit log."""

from flask_babel import lazy_gettext as _l

from app.core import audit


def register() -> None:
    audit.register_action("support.withdraw", _l("%(actor)s withdrew their support for %(target)s."))
    audit.register_action(
        "support.withdraw_after_close",
        _l("%(actor)s tried to withdraw their support for %(target)s after supports closed."),
    )
