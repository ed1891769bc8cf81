"""The one write-route helper: a refusal rolls back and re-renders with 400, a success commits once."""

import pytest
from flask import get_flashed_messages, render_template_string
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from app.auth import services as accounts
from app.auth.models import User
from app.core.refusals import Refused, write
from app.extensions import db

PAGE = "{{ form.name.data }}|{% for error in form.name.errors %}<em>{{ error }}</em>{% endfor %}"


class NameForm(FlaskForm):
    name = StringField(validators=[DataRequired()])


def _create(name):
    return accounts.register(name, f"{name}@example.org", "a long enough password", confirmed=True)


def _usernames():
    return set(db.session.execute(db.select(User.username)).scalars())


def _refuse(refusal):
    raise refusal


def _write(form, action, **options):
    return write(form, action, render=lambda: render_template_string(PAGE, form=form), **options)


@pytest.fixture
def commits(monkeypatch):
    """How many times the request committed."""
    counted = []
    commit = db.session.commit
    monkeypatch.setattr(db.session, "commit", lambda: (counted.append(1), commit()))
    return counted


def test_a_refusal_with_a_field_rolls_back_and_shows_the_message_on_that_field(app, commits):
    with app.test_request_context(method="POST", data={"name": "amina"}):
        form = NameForm()

        def refused():
            _create(form.name.data)
            raise Refused("That name is taken.", field="name")

        body, status = _write(form, refused, success="/done")
        assert status == 400
        assert body == "amina|<em>That name is taken.</em>"
        assert "amina" not in _usernames()
        assert commits == []


def test_a_refusal_without_a_field_is_flashed_or_put_on_the_route_s_field(app):
    with app.test_request_context(method="POST", data={"name": "amina"}):
        body, status = _write(NameForm(), lambda: _refuse(Refused("Not now.")), success="/")
        assert (status, body) == (400, "amina|")
        assert get_flashed_messages(with_categories=True) == [("error", "Not now.")]
    with app.test_request_context(method="POST", data={"name": "amina"}):
        body, _status = _write(NameForm(), lambda: _refuse(Refused("Not now.")), success="/", field="name")
        assert body == "amina|<em>Not now.</em>"


def test_a_rejected_form_runs_nothing_and_answers_400_a_get_200(app):
    ran = []
    with app.test_request_context(method="POST", data={"name": ""}):
        _body, status = _write(NameForm(), lambda: ran.append(1), success="/")
        assert status == 400
    with app.test_request_context(method="GET"):
        _body, status = _write(NameForm(), lambda: ran.append(1), success="/")
        assert status == 200
    assert ran == []


def test_success_commits_once_flashes_and_redirects_to_where_the_result_says(app, commits):
    with app.test_request_context(method="POST", data={"name": "amina"}):
        form = NameForm()
        response = _write(
            form,
            lambda: _create(form.name.data),
            success=lambda user: f"/u/{user.username}",
            message=lambda user: f"Welcome, {user.username}.",
        )
        assert (response.status_code, response.location) == (302, "/u/amina")
        assert get_flashed_messages() == ["Welcome, amina."]
        assert commits == [1]
    with app.app_context():
        assert "amina" in _usernames()


def test_a_button_s_refusal_goes_back_with_the_message_flashed(app, commits):
    with app.test_request_context(method="POST"):
        response = write(None, lambda: _refuse(Refused("Too late.")), success="/back")
        assert (response.status_code, response.location) == (302, "/back")
        assert get_flashed_messages(with_categories=True) == [("error", "Too late.")]
        assert commits == []


def test_a_refusal_that_hides_an_object_answers_404(app):
    class Hidden(Refused):
        status = 404

    with app.test_request_context(method="POST"), pytest.raises(Exception) as raised:
        write(None, lambda: _refuse(Hidden(None)), success="/")
    assert getattr(raised.value, "code", None) == 404


def test_every_domain_error_is_a_refusal():
    from app.consultation.services.errors import ConsultationError
    from app.core.posting_rules import PostingRefused
    from app.discussions.services import DiscussionError
    from app.moderation.services import ModerationError
    from app.portability.services import ImportRefused

    for error in (accounts.AccountError, ConsultationError, PostingRefused, DiscussionError, ModerationError):
        assert issubclass(error, Refused)
    assert issubclass(ImportRefused, Refused)
