"""Contributions are found by search, with their status, and only by those who may see them."""

from app.consultation import services
from app.consultation.models import Contribution
from app.extensions import db
from tests.factories import setup_data
from tests.support.clients import client_for
from tests.support.pages import result_keys


def found(client, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    return result_keys(response.get_data(as_text=True))


def test_contributions_are_indexed_with_their_status(app):
    with setup_data(app) as build:
        consultation = build.consultation(slug="wsis17")
        author = build.user("quokka_author")
        public = build.contribution(
            consultation, author, "thematic", "submitted", title="Quokka backbone sharing"
        )
        private = build.contribution(
            consultation, author, "workshop", "submitted", title="Quokka telemedicine workshop"
        )
    anonymous = client_for(app)
    assert ("contribution", public.id) in found(anonymous, "quokka")
    assert ("contribution", private.id) not in found(anonymous, "quokka")
    assert ("contribution", private.id) in found(client_for(app, author), "quokka")
    assert ("contribution", public.id) in found(anonymous, "quokka status:submitted")
    assert found(anonymous, "quokka status:accepted") == []

    with app.app_context(), app.test_request_context():
        row = db.session.get(Contribution, public.id)
        admin = db.session.merge(consultation.test_admin)
        services.screen(row, admin)
        services.accept(row, admin, "Welcome.")
        db.session.commit()
    assert ("contribution", public.id) in found(anonymous, "quokka status:accepted")
