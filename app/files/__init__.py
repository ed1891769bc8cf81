"""Documents and images: content inspection, content-addressed storage, uploads attached to the items
domains register (`parents.register`), served by a route that checks the item's rule every time.
Infrastructure: it imports no domain."""


def init_app(app):
    from app import jobs
    from app.files import models, search, services  # noqa: F401  (the uploads table)
    from app.files.cli import files_cli
    from app.files.routes import bp

    app.register_blueprint(bp)
    jobs.register(services.EXTRACT_JOB, services.extract_text)
    jobs.register(
        services.SCAN_JOB,
        services.scan_upload,
        max_attempts=services.SCAN_ATTEMPTS,
        gave_up=services.scan_gave_up,
    )
    search.register()  # the pages of attached documents
    app.cli.add_command(files_cli)
    app.jinja_env.filters["filesize"] = file_size
    app.jinja_env.globals["upload_languages"] = upload_languages
    # The upload route takes a file part and a body up to UPLOAD_MAX_BYTES (web.py refuses both elsewhere).
    app.config.setdefault("FILE_UPLOAD_ENDPOINTS", set()).add("files.upload")


def file_size(size: int) -> str:
    """A size the way people read it, in the page's language: 820 KB, 4.2 MB."""
    from flask_babel import format_decimal, gettext

    if size < 1024 * 1024:
        return gettext("%(size)s KB", size=format_decimal(max(1, round(size / 1024))))
    return gettext("%(size)s MB", size=format_decimal(round(size / (1024 * 1024), 1)))


def upload_languages() -> list[tuple[str, str]]:
    """The languages a document's text may be declared in, each named in itself."""
    from flask import current_app

    from app.core.languages import LANGUAGE_NAMES

    return [(code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]]
