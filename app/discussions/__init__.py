"""Threads and posts: the tree of replies, its flat view, edits and revisions."""

from flask import Blueprint

bp = Blueprint("discussions", __name__)
