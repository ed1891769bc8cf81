"""The field a form with an uploader carries: the ids of the files uploaded for the item."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import Optional, Regexp


class AttachmentsMixin:
    """The files uploaded for the post (their ids, filled in by the uploader in the page)."""

    attachments = HiddenField(
        validators=[
            Optional(),
            Regexp(
                r"^\d{1,10}(,\d{1,10}){0,19}$",
                message=_l("One of the files is no longer available: upload it again."),
            ),
        ]
    )

    def attachment_ids(self) -> list[int]:
        return [int(value) for value in (self.attachments.data or "").split(",") if value]
