"""Property tests: arbitrary unicode, huge inputs and malformed forms at every form endpoint.

Whatever is sent, the answer is never a 500, and a refused form writes nothing.
"""

from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.auth.models import User
from app.core.audit import AuditEntry
from app.discussions.models import Post, PostRevision, Thread
from app.extensions import db
from app.moderation.models import Report, ReviewItem
from app.notifications.models import Notification
from tests.support.bodies import json_bodies, multipart_bodies, post_json, post_multipart
from tests.support.signin import login_as

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
COUNTED = (User, Thread, Post, PostRevision, AuditEntry, Report, ReviewItem, Notification)

text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.sampled_from(["", " ", "\x00", "\u202e", "﷽" * 50, "a" * 25_000, "ي" * 70_000, "1e309", "-1", "0"]),
)
ints = st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str), text)

# endpoint: (role, url template, {field: strategy})
FORMS = {
    "register": ("anonymous", "/auth/register", ["username", "email", "password", "password_confirm",
                 "display_name", "organisation", "stakeholder_type", "country"]),
    "login": ("anonymous", "/auth/login", ["username", "password", "remember"]),
    "settings": ("member", "/settings", ["display_name", "organisation", "stakeholder_type", "country", "bio",
                 "preferred_view", "show_presence"]),
    "password": ("member", "/settings/password", ["pw-current_password", "pw-new_password",
                 "pw-new_password_confirm"]),
    "new thread": ("member", "/c/c7-e-health/new", ["title", "body"]),
    "reply": ("member", "/t/{thread}/reply", ["body", "parent_id"]),
    "edit": ("author", "/p/{reply}/edit", ["body", "reason"]),
    "report": ("member", "/moderation/report/post/{reply}", ["reason", "note"]),
    "hide": ("moderator", "/moderation/p/{reply}/hide", ["hide-reason"]),
    "split": ("moderator", "/moderation/p/{reply}/split", ["split-title", "split-reason"]),
    "merge": ("moderator", "/moderation/t/{thread}/merge", ["merge-target", "merge-reason"]),
    "move": ("moderator", "/moderation/t/{thread}/move", ["move-community", "move-reason"]),
    "slow mode": ("moderator", "/moderation/t/{thread}/slow-mode", ["slow-seconds", "slow-reason"]),
    "title": ("moderator", "/moderation/t/{thread}/title", ["title-title", "title-reason"]),
    "decide": ("moderator", "/moderation/items/{item}/decide", ["decision", "note"]),
    "decide held": ("moderator", "/moderation/items/{held_item}/decide", ["decision", "note"]),
    "post approval": ("moderator", "/moderation/c/c7-e-health/post-approval/on", ["approval-reason"]),
    "account": ("admin", "/moderation/accounts/{pending}/approve", ["account-note"]),
    "warn": ("moderator", "/moderation/u/member/warn", ["warn-reason"]),
    "suspend": ("moderator", "/moderation/u/member/suspend", ["suspend-duration", "suspend-reason"]),
    "grant": ("admin", "/moderation/c/c7-e-health/moderators", ["grant-username", "grant-reason"]),
}  # fmt: skip


def _counts(app):
    with app.app_context():
        return {model.__name__: db.session.execute(db.select(db.func.count()).select_from(model)).scalar()
                for model in COUNTED}  # fmt: skip


def _forms(fields):
    """Each known field present or missing, filled with anything; plus junk fields."""
    known = st.fixed_dictionaries({}, optional={name: st.one_of(text, ints) for name in fields})
    junk = st.dictionaries(st.text(min_size=1, max_size=20), text, max_size=3)
    return st.tuples(known, junk).map(lambda pair: {**pair[1], **pair[0]})


@pytest.mark.parametrize("endpoint", list(FORMS))
def test_form_endpoints_survive_anything(app, make, endpoint):
    role, url_template, fields = FORMS[endpoint]
    world = make.moderation_world()
    url = url_template.format(**world)

    @SETTINGS
    @given(form=_forms(fields))
    def check(form):
        client = app.test_client()
        login_as(client, app, role, world)
        before = _counts(app)
        response = client.post(url, data=form)
        assert response.status_code < 500, (endpoint, form)
        if response.status_code >= 400:
            assert _counts(app) == before, (endpoint, form)  # nothing half-written

    check()


@SETTINGS
@given(
    path_id=st.one_of(st.integers(min_value=-5, max_value=2**80), st.just(2**63)),
    slug=st.text(max_size=40),
)
def test_malformed_ids_and_slugs_never_500(app, client, path_id, slug):
    login_as(client, app, "admin", {"admin": _admin_id(app)})
    for url in (
        f"/moderation/p/{path_id}",
        f"/moderation/t/{path_id}",
        f"/moderation/report/post/{path_id}",
        f"/t/{path_id}",
        f"/p/{path_id}",
    ):
        assert client.get(url).status_code < 500
    from urllib.parse import quote

    for url in (f"/c/{quote(slug, safe='')}/moderation-log", f"/moderation/u/{quote(slug, safe='')}"):
        assert client.get(url).status_code < 500


def _admin_id(app):
    with app.app_context():
        admin = db.session.execute(db.select(User).filter_by(username="prop-admin")).scalar_one_or_none()
        if admin is None:
            admin = User(
                username="prop-admin", email="prop-admin@example.org", password_hash="x", is_admin=True
            )
            db.session.add(admin)
            db.session.commit()
        return admin.id


@pytest.mark.parametrize("endpoint", list(FORMS))
def test_form_endpoints_refuse_json_bodies(app, make, endpoint):
    """A JSON body (numbers, lists, nulls) is not a form: 415 with a message, never a 500, nothing written."""
    role, url_template, fields = FORMS[endpoint]
    world = make.moderation_world()
    url = url_template.format(**world)

    @SETTINGS
    @given(body=json_bodies(fields))
    def check(body):
        client = app.test_client()
        login_as(client, app, role, world)
        before = _counts(app)
        response = post_json(client, url, body)
        assert response.status_code == 415, (endpoint, body)
        assert "only form submissions" in response.get_data(as_text=True)
        assert _counts(app) == before, (endpoint, body)

    check()


@pytest.mark.parametrize("endpoint", list(FORMS))
def test_form_endpoints_refuse_file_parts(app, make, endpoint):
    """No form takes files: a multipart body with a file part is refused (415), never a 500."""
    role, url_template, fields = FORMS[endpoint]
    world = make.moderation_world()
    url = url_template.format(**world)

    @SETTINGS
    @given(parts=multipart_bodies(fields))
    def check(parts):
        client = app.test_client()
        login_as(client, app, role, world)
        before = _counts(app)
        response = post_multipart(client, url, parts)
        assert response.status_code == 415, (endpoint, parts)
        assert "does not accept files" in response.get_data(as_text=True)
        assert _counts(app) == before, (endpoint, parts)

    check()


def test_a_multipart_form_without_files_still_posts(app, client, make, auth):
    """multipart/form-data is a form encoding browsers use: text parts only are accepted as usual."""
    auth.login(make.user())
    response = client.post(
        "/c/c7-e-health/new",
        data={"title": "Posted as multipart form data", "body": "A body long enough to post"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(Thread).filter_by(title="Posted as multipart form data")).scalar()


def _post_urls(app, world):
    """Every route that takes a POST, with its arguments filled from the world."""
    from werkzeug.routing.converters import AnyConverter, IntegerConverter

    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):  # the API takes JSON (tests/api)
            continue
        values = {}
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                values[name] = sorted(converter.items)[0]
            elif isinstance(converter, IntegerConverter):
                values[name] = world["reply"] if name == "post_id" else world["thread"]
            elif name == "username":
                values[name] = "member"
            else:
                values[name] = "c7-e-health"
        with app.test_request_context():
            from flask import url_for

            yield rule.endpoint, url_for(rule.endpoint, **values)


def test_every_post_route_refuses_json_and_files(app, make):
    """All form routes, not just those listed above: a JSON body or a file part is a 415, never a 500."""
    world = make.moderation_world()
    client = app.test_client()
    login_as(client, app, "admin", world)
    uploads = app.config.get("FILE_UPLOAD_ENDPOINTS", set())  # they take a file (tests/files), never JSON
    for endpoint, url in _post_urls(app, world):
        for body in ({"title": 5, "body": [1, None], "reason": None}, [1, 2, 3], 7, None):
            response = post_json(client, url, body)
            assert response.status_code == 415, (endpoint, url, body, response.status_code)
        if endpoint in uploads:
            continue
        response = client.post(
            url, data={"body": (BytesIO(b"x"), "a.txt")}, content_type="multipart/form-data"
        )
        assert response.status_code == 415, (endpoint, url, response.status_code)


def test_json_is_refused_with_415_even_with_csrf_on(csrf_app, make):
    """In production (CSRF on) a JSON body is told it is not a form, not that its form expired."""
    client = csrf_app.test_client()
    response = post_json(client, "/auth/login", {"username": 5, "password": None})
    assert response.status_code == 415
    assert "only form submissions" in response.get_data(as_text=True)
