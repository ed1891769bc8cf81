"""Accounts: registration, sign-in, profiles, settings."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
