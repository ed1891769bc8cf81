"""Accounts: registration, sign-in, profiles, settings."""

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    """Register the accounts blueprint (the profile's sections come from the domains that fill them)."""
    from app import api, jobs
    from app.auth import access_tokens, avatars, mydata_routes, oidc, routes, search, services, token_routes  # noqa: F401
    from app.core import page_cache

    app.register_blueprint(bp)
    oidc.init_app(app)  # single sign-on, when OIDC_ISSUER is set
    app.jinja_env.globals["oidc_provider_name"] = oidc.provider_name
    api.register_token_authenticator(access_tokens.authenticate, access_tokens.note_use)
    page_cache.register_private_tables("access_tokens")  # a token's use changes no visitor's page
    from app.auth import mydata

    mydata.register()  # the account's part of "Download my data" and "Delete my account"
    from app.auth import api as users_api

    users_api.register(app)  # public profiles in the JSON API
    avatars.register(app)  # members' pictures, stored and re-encoded by the files package
    jobs.register(services.PASSWORD_RESET_JOB, services.send_password_reset_to)
    search.register()  # how search knows an author exists
