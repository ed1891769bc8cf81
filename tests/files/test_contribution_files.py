"""Files on formal contributions: a draft keeps its files, the contribution's page lists them, and a
private nomination's CV is for its author and the secretariat only."""

import io
from datetime import datetime, timedelta

from app.consultation.models import Contribution
from app.extensions import db
from tests.factories import DETAILS
from tests.files import samples
from tests.support.clients import client_for


def _upload(client, data, name):
    answer = client.post(
        "/files",
        data={"for": "contribution", "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def _form(make, kind, attachments, **extra):
    form = {"title": f"A {kind} with files", "summary": "A summary that is long enough.", "body": "Text.",
            "action_lines": [str(make.community_id("c7-e-health"))], "region": "africa", "attachments": attachments}  # fmt: skip
    for name, value in DETAILS[kind].items():
        form[f"details-{name}"] = value
    form.update(extra)
    return form


def test_a_draft_keeps_its_files_and_the_page_lists_them(app, make):
    consultation = make.consultation()
    author = make.user("amina")
    client = client_for(app, author)
    paper = _upload(client, samples.pdf(["Thematic paper", "Annex"]), "thematic paper.pdf")
    response = client.post(
        f"/consultations/{consultation.slug}/contribute/thematic",
        data=_form(make, "thematic", str(paper["id"])),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        contribution = db.session.execute(db.select(Contribution)).scalar_one()
    page = client.get(f"/consultations/{consultation.slug}/contributions/{contribution.id}").get_data(
        as_text=True
    )
    assert "thematic paper.pdf" in page and "2 pages" in page
    edit = client.get(f"/consultations/{consultation.slug}/contributions/{contribution.id}/edit").get_data(
        as_text=True
    )
    assert "Files already attached:" in edit and "thematic paper.pdf" in edit
    assert client.get(paper["url"]).status_code == 200
    assert client_for(app, make.user()).get(paper["url"]).status_code == 404  # a draft is its author's


def test_a_nominations_cv_is_for_its_author_and_the_secretariat(app, make):
    deadline = datetime.now() + timedelta(days=30)
    consultation = make.consultation(
        deadline_local=deadline.replace(microsecond=0), opens_local=deadline - timedelta(days=90)
    )
    author = make.user("amina")
    client = client_for(app, author)
    cv = _upload(client, samples.docx("Curriculum vitae"), "cv.docx")
    response = client.post(
        f"/consultations/{consultation.slug}/contribute/nomination",
        data=_form(make, "nomination", str(cv["id"]), action="submit"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        assert db.session.execute(db.select(Contribution.state)).scalar_one() == "submitted"
    assert client.get(cv["url"]).status_code == 200
    assert client_for(app, make.consultation_admin(consultation)).get(cv["url"]).status_code == 200
    assert client_for(app, make.user()).get(cv["url"]).status_code == 404
    assert client_for(app).get(cv["url"]).status_code == 404


def test_the_author_removes_a_file_while_editable_and_the_page_keeps_the_removal(app, make):
    consultation = make.consultation()
    author = make.user("amina", display_name="Amina")
    client = client_for(app, author)
    paper = _upload(client, samples.pdf(["Old version"]), "old version.pdf")
    client.post(
        f"/consultations/{consultation.slug}/contribute/thematic",
        data=_form(make, "thematic", str(paper["id"])),
    )
    with app.app_context():
        contribution = db.session.execute(db.select(Contribution)).scalar_one()
    edit_url = f"/consultations/{consultation.slug}/contributions/{contribution.id}/edit"
    assert (
        client_for(app, make.user()).post(f"/files/{paper['id']}/remove", data={"next": edit_url}).status_code
        == 404
    )
    removed = client.post(f"/files/{paper['id']}/remove", data={"next": edit_url})
    assert removed.status_code == 302 and removed.location == edit_url
    assert client.get(paper["url"]).status_code == 404
    page = client.get(f"/consultations/{consultation.slug}/contributions/{contribution.id}").get_data(
        as_text=True
    )
    assert "“old version.pdf” was removed on" in page and "by Amina" in page
    assert (
        client.post(f"/files/{paper['id']}/remove", data={"next": edit_url}).status_code == 404
    )  # gone already
