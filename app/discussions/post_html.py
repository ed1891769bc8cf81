"""The posts of a thread page (and of the live page's fetches) as HTML.

Rendering fifty posts through Jinja macros cost about 0.2 ms a post, and every reader of a page is
shown the same posts. So each post is rendered in two parts (templates/discussions/_post.html):

- its head (author, dates, body) is the same for every reader: rendered once per post version,
  language, time zone and view, and kept in the fragment cache (app/core/fragments.py). The only part
  that changes with the clock, "3 minutes ago", is put in on every request.
- its actions depend on what the reader may do: `Allowed` (the post's own `can_*` methods) and each
  registered control's decision. Rendered once per distinct set of those, and kept too; a Delete
  form's CSRF field is put in on every request.

Domains add controls to every post's footer with `register_control` (moderation's Report and Moderate).
The tree's nesting is joined here in Python: a macro per node cost more than the posts' own markup.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import NamedTuple

from flask import current_app, request
from flask_babel import get_locale, get_timezone, ngettext
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app.core import fragments
from app.core.text import RENDER_VERSION
from app.discussions.bodies import bodies_html
from app.discussions.queries import PostNode
from app.files import services as files
from app.i18n import relative_time

# Where the per-request parts go in a cached fragment (private-use characters: in a head, the post's
# text comes after the slot, so only its first occurrence is replaced; a footer has one per form).
WHEN_SLOT = "\ue000when\ue000"
CSRF_SLOT = "\ue000csrf\ue000"


class Allowed(NamedTuple):
    """What the reader may do with a post, from its `can_*` methods."""

    reply: bool
    edit: bool
    history: bool
    delete: bool


@dataclass(frozen=True)
class PostControl:
    """A domain's controls in each post's footer. `template` is included with `post`, `thread`,
    `view` and `decision`, the value of `decide(viewer, post, thread)`; the decision is part of the
    cache key, so it must be hashable and say everything the template's output depends on."""

    template: str
    decide: Callable[..., Hashable]
    # Called once with the page's posts before any decision, to read what they need in one query.
    prepare: Callable[..., None] | None = None


_controls: list[PostControl] = []


def register_control(
    template: str, decide: Callable[..., Hashable], prepare: Callable[..., None] | None = None
) -> None:
    if all(control.template != template for control in _controls):
        _controls.append(PostControl(template, decide, prepare))


def _permission_profile(viewer, post) -> tuple:
    """Everything of a post that `allowed_for`'s `can_*` answers read besides its thread and the
    viewer (the same for a whole page): posts with the same profile get the same answers, so a page
    asks them once per profile, not once per post. Keep it in step with those methods."""
    return (
        post.author_id == getattr(viewer, "id", None), post.is_opening, post.deleted_at is not None,
        post.hidden_at is not None, post.held_at is not None, post.edited_at is not None,
    )  # fmt: skip


def allowed_for(viewer, post) -> Allowed:
    return Allowed(
        reply=post.can_reply(viewer),
        edit=post.can_edit(viewer) and not post.is_removed,
        history=post.edited_at is not None and post.can_view_history(viewer),
        delete=post.can_delete_in_thread(viewer),
    )


class PostRenderer:
    """Posts of one thread in one view, as `viewer` sees them on this request."""

    def __init__(self, thread, view: str, viewer):
        # The user itself, not Flask-Login's proxy: every attribute read through it costs a lookup.
        self.thread, self.view = thread, view
        self.viewer = viewer._get_current_object() if hasattr(viewer, "_get_current_object") else viewer
        self._branch_labels: dict[int, str] = {}
        self._allowed: dict[tuple, Allowed] = {}
        self.page_key = (str(get_locale() or "en"), str(get_timezone()), request.script_root, view)
        self._macros = current_app.jinja_env.get_template("discussions/_post.html").module

    def flat(self, posts) -> Markup:
        """The flat view: each post in a list item, a reply saying whom it answers."""
        names = {post.id: post.author.name for post in posts}
        return Markup("".join(self.list_items([(post, names.get(post.parent_id)) for post in posts])))

    def list_items(self, posts_and_parent_authors, with_branch: bool = False) -> list[str]:
        """A list item for each post, given with its parent's author (the live page's fetch); in the
        tree view (`with_branch`) each has its empty, hidden branch for replies to come."""
        articles = self.articles(posts_and_parent_authors)
        branch = self._branch_start if with_branch else None
        return [
            f'<li class="node" data-post-id="{post.id}">{articles[post.id]}'
            + (branch(post.id, 0) + "</ol></details>" if branch else "")
            + "</li>"
            for post, _parent_author in posts_and_parent_authors
        ]

    def tree(self, roots: list[PostNode]) -> Markup:
        """The tree view: nested lists, each post followed by its branch of replies."""
        nodes = []
        _walk(roots, nodes)
        articles = self.articles([(node.post, None) for node in nodes])
        parts: list[str] = []
        self._tree_parts(roots, articles, parts)
        return Markup("".join(parts))

    def _tree_parts(self, nodes: list[PostNode], articles: dict[int, str], parts: list[str]) -> None:
        for node in nodes:
            post_id = node.post.id
            parts.append(f'<li class="node" data-post-id="{post_id}">{articles[post_id]}')
            parts.append(self._branch_start(post_id, len(node.children)))
            self._tree_parts(node.children, articles, parts)
            parts.append("</ol></details></li>")

    def _branch_start(self, post_id: int, count: int) -> str:
        """A post's branch of replies, open; one with none is there but hidden, so the live page only
        reveals it and sets its label when a first reply arrives (live.js builds no markup)."""
        label = self._branch_labels.get(count)
        if label is None:
            label = self._branch_labels[count] = escape(ngettext("%(num)d reply", "%(num)d replies", count))
        hidden = "" if count else " hidden"
        return (
            f'<details class="branch" open{hidden}><summary>{label}</summary>'
            f'<ol class="replies" data-parent-id="{post_id}">'
        )

    def articles(self, posts_and_parent_authors) -> dict[int, str]:
        """Each post's whole `<article>`, by id: heads and actions from the cache (two lookups for the
        page), the relative time and CSRF field put in."""
        with self.thread.answers_kept():
            return self._articles(posts_and_parent_authors)

    def _articles(self, posts_and_parent_authors) -> dict[int, str]:
        self._files = files.attachments_of("post", [post.id for post, _ in posts_and_parent_authors])
        for control in _controls:
            if control.prepare is not None:
                control.prepare(self.viewer, [post for post, _ in posts_and_parent_authors], self.thread)
        heads = {
            post.id: self._head_key(post, parent_author) for post, parent_author in posts_and_parent_authors
        }
        actions = {post.id: self._actions_key(post) for post, _ in posts_and_parent_authors}
        posts = {post.id: (post, parent_author) for post, parent_author in posts_and_parent_authors}
        head_html = fragments.rendered_together(
            heads.values(), lambda missing: self._render_heads(missing, posts)
        )
        action_html = fragments.rendered(
            list(actions.values()), lambda key: self._render_actions(posts[key[1]][0], key)
        )
        csrf_field = None
        result = {}
        for post_id, (post, _) in posts.items():
            head = head_html[heads[post_id]].replace(WHEN_SLOT, escape(relative_time(post.created_at)), 1)
            footer = action_html[actions[post_id]]
            if CSRF_SLOT in footer:
                csrf_field = (
                    csrf_field or f'<input type="hidden" name="csrf_token" value="{escape(generate_csrf())}">'
                )
                footer = footer.replace(CSRF_SLOT, csrf_field)  # the footer holds no user text
            result[post_id] = head + footer
        return result

    def _head_key(self, post, parent_author) -> tuple:
        """Everything the head's markup depends on, so a changed post or author makes a new key."""
        author = post.author
        return (
            "post-head", post.id, post.created_at, post.body_digest, post.edited_at, RENDER_VERSION, post.language,
            post.parent_id, post.merged_from_thread_id, post.depth, post.deleted_at is not None, post.hidden_at is not None,
            post.held_at is not None, post.is_removed and post.can_view_body(self.viewer),
            author.username, author.display_name, author.organisation, author.stakeholder_type,
            parent_author if self.view == "flat" else None, self.page_key,
            tuple((upload.id, upload.scan_state) for upload in self._files.get(post.id, ())),
        )  # fmt: skip

    def _render_heads(self, missing_keys: list[tuple], posts: dict) -> dict[tuple, str]:
        """The heads not in the cache, their bodies fetched together (one mentions query)."""
        chosen = {key: posts[key[1]] for key in missing_keys}
        bodies = bodies_html([post for post, _parent_author in chosen.values()])
        return {
            key: self._render_head(post, parent_author, bodies[post.id])
            for key, (post, parent_author) in chosen.items()
        }

    def _render_head(self, post, parent_author, body_html: str) -> str:
        show_removed_body = post.is_removed and post.can_view_body(self.viewer)
        macro = self._macros.post_head
        attached = self._files.get(post.id, [])
        return str(
            macro(post, self.view, parent_author, show_removed_body, WHEN_SLOT, Markup(body_html), attached)
        )

    def _actions_key(self, post) -> tuple:
        decisions = tuple(control.decide(self.viewer, post, self.thread) for control in _controls)
        profile = _permission_profile(self.viewer, post)
        allowed = self._allowed.get(profile)
        if allowed is None:
            allowed = self._allowed[profile] = allowed_for(self.viewer, post)
        return ("post-actions", post.id, self.thread.id, allowed, decisions, self.page_key)

    def _render_actions(self, post, key: tuple) -> str:
        allowed, decisions = key[3], key[4]
        controls = list(zip(_controls, decisions, strict=True))
        return str(
            self._macros.post_actions(post, self.thread, self.view, allowed, controls, Markup(CSRF_SLOT))
        )


def _walk(nodes: list[PostNode], into: list[PostNode]) -> None:
    for node in nodes:
        into.append(node)
        _walk(node.children, into)
