"""Request bodies are bounded before they are read: past MAX_CONTENT_LENGTH the answer is a 413 page
that says the limit, in the reader's language, as HTML or JSON, and nothing is written."""

from app.discussions.models import Thread
from app.extensions import db

NEW_THREAD = "/c/c7-e-health/new"


def _threads(app):
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(Thread)).scalar()


def test_an_oversized_post_gets_a_413_page_and_writes_nothing(app, client, auth, make):
    auth.login(make.user())
    before = _threads(app)
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    response = client.post(NEW_THREAD, data={"title": "Far too long a post", "body": "a" * (1024 * 1024)})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "What you sent is larger than this site accepts (at most 1 MB)." in html
    assert "<form" in html or "<main" in html  # the site's error page, not a bare server error
    assert _threads(app) == before


def test_the_413_answer_is_json_for_clients_that_ask(app, client, auth, make):
    auth.login(make.user())
    response = client.post(
        NEW_THREAD, data={"body": "a" * (1024 * 1024)}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 413
    assert response.get_json() == {
        "error": "What you sent is larger than this site accepts (at most 1 MB). Shorten it and try again.",
        "status": 413,
    }


def test_the_413_page_is_translated(app, client, auth, make):
    auth.login(make.user())
    response = client.post(NEW_THREAD, data={"body": "a" * (1024 * 1024)}, headers={"Accept-Language": "fr"})
    assert response.status_code == 413
    assert "Ce que vous avez envoyé dépasse ce que ce site accepte (1 Mo au plus)" in response.get_data(
        as_text=True
    )


def test_the_body_is_refused_by_its_declared_length_before_it_is_read(app, client, auth, make):
    """A client announcing more than the limit is refused without its body being read or parsed."""
    auth.login(make.user())
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = client.post(
        NEW_THREAD,
        data=b"title=Short&body=short",
        content_type="application/x-www-form-urlencoded",
        environ_overrides={"CONTENT_LENGTH": str(64 * 1024 + 1)},
    )
    assert response.status_code == 413
    assert "at most 64 KB" in response.get_data(as_text=True)
    assert _threads(app) == 0


def test_a_long_form_within_the_limit_is_answered_by_the_form(app, client, auth, make):
    """Werkzeug's own 500 KB limit on a multipart text field is raised to MAX_CONTENT_LENGTH:
    200,000 Chinese characters (600 KB) get the form back with its length message, not a 413."""
    auth.login(make.user())
    parts = [("title", "A long post in Chinese"), ("body", "中" * 200_000)]
    body = "".join(
        f'--b\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n' for name, value in parts
    )
    response = client.post(  # encoded here: the test client would spool 600 KB to a temporary file
        NEW_THREAD, data=(body + "--b--\r\n").encode(), content_type="multipart/form-data; boundary=b"
    )
    assert response.status_code == 400
    assert "A post must be between" in response.get_data(as_text=True)
