"""Search pages: results and the query language help."""

import re

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from app.core import page_cache
from app.core.database import bounded_page
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
