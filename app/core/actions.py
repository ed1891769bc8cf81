"""A page's form actions as a table, served by one view.

Many pages carry several small forms: a thread's moderation tools, a member's sanctions, a
meeting's minutes and links, the brief editor. Each form posts to a URL and endpoint of its own,
yet each is the same five steps: load the page's object and authorise, build the posted form,
validate, run one service, commit once and redirect — or show the page again with the form as
typed and status 400. `FormActions` holds those steps once; a page only lists its actions.

    tools = FormActions(bp, "/moderation/t/<int:thread_id>", load=moderated_thread,
                        page=thread_page, success=thread_url, decorators=(login_required,))
    tools.add("retitle_thread", "/title", form=lambda thread: TitleForm(prefix="title"),
              slot="title_form", run=lambda thread, form: retitle(thread, form.title.data),
              message=_l("The title is changed."), field="title")

The arguments of the page's URL (`thread_id`) go to `load`; those of the action's own rule
(`change` in `/<any(lock, unlock):change>`) go to `run`, `message` and `success`.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_login import current_user

from app.core.permissions import require
from app.core.refusals import write

_URL_ARGUMENT = re.compile(r"<(?:[^<>:]+:)?(\w+)>")


@dataclass(frozen=True)
class FormAction:
    """One form on the page. `form(obj)` builds it from the request (None: a bare button);
    `run(obj, form, **args)` calls the service and returns what `message` and `success` are given;
    `allow(obj, **args)`, when given, must be true or the answer is 403, before the form is read;
    `slot` is the page's keyword for the form when the page is drawn again around a refusal (it may
    name the action's URL arguments: `"{sanction}_form"`)."""

    run: Callable
    form: Callable | None = None
    slot: str | None = None
    message: Any = None
    field: str | None = None
    success: Callable | None = None
    field_names: dict | None = None
    allow: Callable | None = None
    category: str = "success"


class FormActions:
    """The POST actions of one page, each registered under its own endpoint and URL."""

    def __init__(self, bp, prefix: str, *, load, page=None, success, decorators=()):
        self.bp, self.prefix, self.load, self.page = bp, prefix, load, page
        self.success, self.decorators = success, decorators
        self.load_arguments = tuple(_URL_ARGUMENT.findall(prefix))

    def serve_page(self, endpoint: str, *, doc: str = ""):
        """Serve the page itself (GET at the prefix), with its forms blank, as `endpoint`."""

        def view(**arguments):
            return self.page(self.load(**arguments))

        self._register(view, endpoint, doc, "", ["GET"])

    def add(self, endpoint: str, rule: str, action: FormAction | None = None, *, doc: str = "", **fields):
        """Serve `action` (or a FormAction made of `fields`) at prefix + rule, as `endpoint`."""
        self._register(self._view(action or FormAction(**fields)), endpoint, doc, rule, ["POST"])

    def add_switch(self, on, off, *, turn_on, turn_off, allow_on=None, messages=(None, None), docs=("", "")):
        """Two bare buttons that switch something on and off for the signed-in user (follow and
        unfollow, publish and unpublish). `on` and `off` are (endpoint, rule); `turn_on(obj, user)`
        and `turn_off(obj, user)` are the services; a message callable is given the object."""
        for (endpoint, rule), service, message, doc, allow, category in zip(
            (on, off), (turn_on, turn_off), messages, docs, (allow_on, None), ("success", "info"), strict=True
        ):
            run = _switching(service)
            self.add(endpoint, rule, doc=doc, run=run, message=message, allow=allow, category=category)

    def _register(self, view, endpoint: str, doc: str, rule: str, methods: list[str]) -> None:
        # Named as the blueprint's own views are, so that per-endpoint limits stay per endpoint.
        view.__name__ = view.__qualname__ = endpoint
        view.__module__, view.__doc__ = self.bp.import_name, doc
        for decorator in reversed(self.decorators):
            view = decorator(view)
        self.bp.add_url_rule(self.prefix + rule, endpoint, view, methods=methods)

    def _view(self, action: FormAction):
        def view(**arguments):
            obj = self.load(**{name: arguments.pop(name) for name in self.load_arguments})
            if action.allow is not None:
                require(action.allow(obj, **arguments))
            form = action.form(obj) if action.form else None
            success = action.success or self.success
            return write(
                form,
                lambda: action.run(obj, form, **arguments),
                render=self._render(obj, action, form, arguments),
                success=lambda result: success(obj, result, **arguments) if action.success else success(obj),
                message=_with_arguments(action.message, arguments),
                category=action.category,
                field=action.field,
                field_names=action.field_names,
            )

        return view

    def _render(self, obj, action: FormAction, form, arguments):
        if self.page is None or action.slot is None:
            return None
        return lambda: self.page(obj, **{action.slot.format(**arguments): form})


def _switching(service):
    def run(obj, _form):
        service(obj, current_user._get_current_object())
        return obj

    return run


def _with_arguments(message, arguments):
    """A message that depends on the result or on the action's URL arguments, or a fixed one."""
    if callable(message):
        return lambda result: message(result, **arguments)
    return message
