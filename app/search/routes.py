"""Search pages: results and the query language help."""

import re

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import feeds
from app.core import page_cache
from app.core.database import bounded_page
from app.core.permissions import VISITOR
from app.core.ratelimits import per_member
from app.search import services

bp = Blueprint("search", __name__)

_SCOPE_RE = re.compile(r"^(community:[a-z0-9][a-z0-9-]{0,63}|thread:\d{1,12})$")


def _query_text() -> str:
    """The typed query, with the scope of a community or thread box (`within`) added to it."""
    text = request.args.get("q", "")
    within = request.args.get("within", "").strip().lower()
    if within and _SCOPE_RE.match(within) and within not in text.lower().split():
        text = f"{within} {text}".strip()
    return text


@bp.route("/search")
@per_member(lambda: current_app.config["RATELIMIT_SEARCH"])
def search():
    """Search results, 20 a page, with facets by type and community and sorting."""
    outcome = services.run_search(
        current_user,
        _query_text(),
        page=bounded_page(request.args.get("page")),
        sort=request.args.get("sort", "relevance"),
    )
    if outcome.unavailable:
        page_cache.do_not_keep()
    return render_template("search/results.html", outcome=outcome, refine=services.refine,
                           without_filter=services.without_filter, page_numbers=services.page_numbers)  # fmt: skip


@bp.route("/search/help")
def help_page():
    """The query language, with examples."""
    return render_template("search/help.html")


@bp.route("/search/feed.atom")
@per_member(lambda: current_app.config["RATELIMIT_SEARCH"])
def search_feed():
    """The newest results of a query, as a visitor would find them (feed readers share feeds)."""
    text = request.args.get("q", "")
    outcome = services.run_search(VISITOR, text, page=1, sort="newest")
    if outcome.unavailable:
        abort(503)
    entries = [
        feeds.Entry(
            id=url_for_document(result.document),
            title=services.plain(result.document.title or result.document.extra.get("thread_title", "")),
            url=url_for_document(result.document),
            published=result.document.created_at,
            updated=None,
            author=result.document.author_username,
            html=str(result.snippet),
        )  # fmt: skip
        for result in outcome.results
    ]
    return feeds.atom(
        _("Search: %(query)s", query=text), url_for("search.search", q=text, _external=True), entries
    )


def url_for_document(document) -> str:
    """A document's page as an absolute address (documents keep their path)."""
    return request.host_url.rstrip("/") + document.url if document.url.startswith("/") else document.url
