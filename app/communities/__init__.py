"""Knowledge communities, one per WSIS Action Line."""

from flask import Blueprint

bp = Blueprint("communities", __name__)
