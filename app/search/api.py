"""Search in the JSON API (/api/v1/search): the site's query language, the same permission
filtering (every hit re-checked with its provider's `visible`), facets by type and community."""

from urllib.parse import urljoin

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from app import api
from app.core.ratelimits import per_member
from app.search import services

blp = api.Blueprint("search_api", __name__, description="Search threads, posts and contributions.")


class HitSchema(Schema):
    type = fields.String(required=True, metadata={"description": "post, thread or contribution"})
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    title_html = fields.String(required=True, metadata={"description": "The title, matches in <mark>."})
    snippet_html = fields.String(
        required=True, metadata={"description": "Text around the matches, in <mark>."}
    )
    author = fields.String(required=True)
    created_at = api.UTCDateTime(required=True)
    communities = fields.List(fields.String(), required=True, metadata={"description": "Community slugs."})
    thread_id = fields.Integer(allow_none=True, required=True)
    status = fields.String(allow_none=True, required=True)
    url = fields.String(required=True, metadata={"description": "The result's page, an absolute address."})


class FacetsSchema(Schema):
    type = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    community = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class SearchResultsSchema(Schema):
    query = fields.String(required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    items = fields.List(fields.Nested(HitSchema), required=True)
    facets = fields.Nested(FacetsSchema, required=True)
    messages = fields.List(
        fields.String(), required=True, metadata={"description": "About the query as typed."}
    )


class SearchArgs(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=500))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=50))
    sort = fields.String(load_default="relevance", validate=validate.OneOf(services.SORTS))


def _hit(result) -> dict:
    document = result.document
    return {
        "type": document.type, "id": document.id, "title": services.plain(document.title or document.extra.get("thread_title", "")),
        "title_html": str(result.title), "snippet_html": str(result.snippet), "author": document.author_username,
        "created_at": document.created_at, "communities": [community.slug for community in result.communities],
        "thread_id": document.thread_id, "status": document.status, "url": urljoin(request.host_url, document.url),
    }  # fmt: skip


@blp.route("/search", methods=["GET"])
@per_member(lambda: current_app.config["RATELIMIT_SEARCH"])
@blp.arguments(SearchArgs, location="query")
@blp.response(200, SearchResultsSchema)
def search(args):
    """Results the reader may see, 20 a page, with how many of each type and in each community."""
    api.require_read()
    outcome = services.run_search(current_user, args["q"], page=args["page"], sort=args["sort"])
    if outcome.unavailable:
        abort(503, message=_("Search is being rebuilt; try again in a minute."))
    page = outcome.page
    communities = outcome.facet_communities
    facets = page.facets if page else {"type": {}, "community": {}}
    return {
        "query": outcome.query, "total": page.total if page else 0, "page": page.page if page else 1,
        "pages": page.pages if page else 1, "items": [_hit(result) for result in outcome.results],
        "facets": {
            "type": dict(facets.get("type", {})),
            "community": {communities[cid].slug: n for cid, n in facets.get("community", {}).items() if cid in communities},
        },
        "messages": [str(message) for message in outcome.messages],
    }  # fmt: skip


def register(app) -> None:
    api.register(app, blp)
