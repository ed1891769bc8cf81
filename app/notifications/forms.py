"""The mail settings form: one choice per registered mail group."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField

from app.notifications.models import DAILY, DIGEST, IMMEDIATE, NEVER, OFF, WEEKLY

AT_ONCE = (IMMEDIATE, _l("By mail, at once"))
IN_DIGEST = (DIGEST, _l("In the digest"))
NOT_BY_MAIL = (OFF, _l("Not by mail"))
FREQUENCIES = [(DAILY, _l("Daily")), (WEEKLY, _l("Weekly (on Mondays)")), (NEVER, _l("Never"))]


class MailSettingsForm(FlaskForm):
    digest_frequency = RadioField(_l("Digest"), choices=FREQUENCIES)

    @classmethod
    def for_groups(cls, groups, current: dict[str, str], frequency: str, digestible) -> "MailSettingsForm":
        """A form class with a radio group per mail group (the choices it offers), filled with the
        member's current choices."""

        class Form(cls):
            pass

        for group in groups:
            choices = ([AT_ONCE] if group.immediate else []) + ([IN_DIGEST] if digestible(group.name) else [])
            setattr(Form, group.name, RadioField(group.label, choices=choices + [NOT_BY_MAIL]))
        data = {group.name: current.get(group.name, group.default) for group in groups}
        return Form(data={**data, "digest_frequency": frequency})
