"""/api/docs: the OpenAPI document in Swagger UI, served from our own origin (no CDN)."""

from flask import Blueprint, render_template, url_for

bp = Blueprint("api", __name__)


@bp.route("/api/docs")
def docs():
    """The API's reference, generated from the code (the same document CI holds the server to)."""
    return render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"))
