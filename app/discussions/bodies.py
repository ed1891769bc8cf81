"""Post bodies as HTML: rendered from the Markdown source when shown, and kept in the fragment cache.

A post stores its source only. Storing the sanitised HTML beside it made every body take twice the
room (issue 15: 126 MB against FlaskBB's 28 MB for the same 50,000 posts, with revision 1 a third
and fourth copy). Rendering costs about half a millisecond a post, paid once per post version and
process: the thread page keeps its rendered posts anyway (`post_html.py`), and moderation pages show
a handful. @mentions link to the accounts that exist when the body is rendered (one query for all the
posts rendered together), as Discourse re-cooks them.
"""

from app.auth.models import User
from app.core import fragments
from app.core.text import RENDER_VERSION, mentions_in_order, render_markdown
from app.extensions import db


def existing_usernames(sources) -> set[str]:
    """The lower-cased usernames @mentioned in any of `sources` that name an account: one query."""
    names = {name for source in sources for name in mentions_in_order(source)}
    if not names:
        return set()
    lowered = db.func.lower(User.username)
    return set(db.session.execute(db.select(lowered).where(lowered.in_(names))).scalars())


def render_body(source: str, existing: set[str] | None = None) -> str:
    """`source` as sanitised HTML, mentions of `existing` accounts (looked up if not given) linked."""
    if existing is None:
        existing = existing_usernames([source])
    return render_markdown(source, mention_exists=lambda name: name.lower() in existing)


def body_key(post) -> tuple:
    """What a post's HTML depends on: the post, its version (an edit sets `edited_at`) and the renderer's."""
    return ("post-body", post.id, post.created_at, post.edited_at, post.body_digest, RENDER_VERSION)


def bodies_html(posts) -> dict[int, str]:
    """Each post's body as HTML, by id: from the cache, the others rendered together and kept."""
    keys = {post.id: body_key(post) for post in posts}
    by_key = {key: post for post in posts for key in [keys[post.id]]}

    def render_all(missing) -> dict:
        existing = existing_usernames(by_key[key].body_source for key in missing)
        return {key: render_body(by_key[key].body_source, existing) for key in missing}

    found = fragments.rendered_together(keys.values(), render_all)
    return {post.id: found[keys[post.id]] for post in posts}
