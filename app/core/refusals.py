"""One way to refuse, one shape of write route.

Every domain's error subclasses `Refused(message, field=None)`. A write route loads its objects,
authorises, and ends with `return write(form, action, render=..., success=...)`: the form is
validated, the service runs, the transaction is committed once and the browser is sent on; a
rejected form or a refusal rolls the transaction back and re-renders the page with status 400,
with what was typed and the message on its field (or flashed).
"""

from flask import abort, flash, redirect
from wtforms import FormField

from app.extensions import db


class Refused(Exception):
    """A rule refused the action; `message` is shown to the user, next to the form field `field`.

    `status` is the answer a route gives: 400 (shown with the form), or 404 for a subclass that
    must not reveal that an object exists.
    """

    status = 400

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self):
        return str(self.message)

    def field_errors(self) -> dict:
        """{form field name: message} for the refused form; empty when the refusal names no field."""
        return {self.field: self.message} if self.field and self.message else {}


def write(
    form, action, *, success, render=None, message=None, category="success", field=None, field_names=None,
    shown=None,
):  # fmt: skip
    """Validate `form`, run `action()`, commit once, flash `message` and redirect to `success`.

    `success` and `message` may be callables given what `action` returned. `shown(result)`, when
    given, answers instead of the redirect: a page that shows once what was made (a new access
    token's secret), never kept in the session. `render()` draws the page
    the form came from; it answers a GET (200), a rejected form and a refusal (400, after a
    rollback). A refusal's message goes on its own field (`field_names` maps a service's names to
    the form's), else on `field`, else it is flashed. `form=None` leaves validation to `action`;
    a button with no page of its own (`render=None`) goes back to `success` with the refusal flashed.
    """
    if form is not None and not form.validate_on_submit():
        return _with_status(render(), 400 if form.errors else 200)
    try:
        result = action()
    except Refused as refusal:
        db.session.rollback()
        if refusal.status == 404:
            abort(404)
        show_refusal(form, refusal, field, field_names)
        return _with_status(render(), 400) if render else redirect(success)
    db.session.commit()
    if message:
        flash(str(_given(message, result)), category)
    if shown is not None:
        return shown(result)
    return redirect(_given(success, result))


def show_refusal(form, refusal: Refused, field: str | None = None, field_names=None) -> None:
    """Put the refusal's messages on the form's fields, or flash the one no field takes."""
    errors = refusal.field_errors() or ({field: refusal.message} if field and refusal.message else {})
    for name, message in errors.items():
        name = (field_names or {}).get(name, name)
        target = find_field(form, name) if form is not None else None
        if target is None and form is not None and field is not None:
            target = find_field(form, field)
        if target is None:
            flash(str(message), "error")
        else:
            target.errors = list(target.errors) + [str(message)]
    if not errors and refusal.message:
        flash(str(refusal), "error")


def find_field(form, name: str):
    """The field called `name` in `form` or in one of its sub-forms (`FormField`), or None."""
    if name in form:
        return form[name]
    for subfield in form:
        if isinstance(subfield, FormField) and name in subfield.form:
            return subfield.form[name]
    return None


def _given(value, result):
    return value(result) if callable(value) else value


def _with_status(rendered, status: int):
    body = rendered[0] if isinstance(rendered, tuple) else rendered
    return body, status
