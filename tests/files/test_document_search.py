"""Words inside attached documents are found by search with the file and the page they are on, with
the analyzer posts use; a hidden post's documents are not found; `type:document` narrows to them."""

import io

import pytest

from app.auth.models import User
from app.extensions import db
from app.files.extraction import ExtractionFailed, extract_bounded
from app.files.models import Upload
from app.files.services import storage
from tests.files import samples
from tests.support.clients import client_for

PAGES = ["النفاذ إلى المعلومات والمعارف", "بناء القدرات الرقمية", "التعليم الإلكتروني في المدارس الريفية"]


def _attach(app, make, data, name):
    return _attach_as(app, make, data, name, "amina")


def _attach_as(app, make, data, name, username):
    member = make.user(username)
    thread = make.thread(title="Regional review, Arab States")
    client = client_for(app, member)
    upload = client.post(
        "/files", data={"for": "post", "file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )
    assert upload.status_code == 201, upload.get_json()
    response = client.post(
        f"/t/{thread.id}",
        data={
            "body": "The report is attached.",
            "parent_id": "",
            "attachments": str(upload.get_json()["id"]),
        },
    )
    return int(response.location.rsplit("#p", 1)[1])


def _results(app, query, user=None):
    return client_for(app, user).get("/search", query_string={"q": query}).get_data(as_text=True)


def test_a_word_on_page_3_of_an_arabic_pdf_is_found_and_the_result_names_page_3(app, make):
    _attach(app, make, samples.pdf(PAGES, arabic=True), "التقرير الإقليمي.pdf")
    page = _results(app, "الريفية")
    assert "التقرير الإقليمي.pdf" in page and "Page 3" in page and "Regional review, Arab States" in page
    assert "<mark>" in page  # the snippet is highlighted
    assert "Page 3" in _results(app, "المدرسة type:document") or "Page 3" in _results(
        app, "المدارس type:document"
    )


def test_an_english_docx_is_found_by_a_stemmed_word(app, make):
    _attach(app, make, samples.docx("Community networks connect zanzibarite villages."), "networks.docx")
    assert "networks.docx" in _results(app, "zanzibarite")
    assert "Page 1" in _results(app, "network type:document")


def test_a_word_on_slide_2_and_in_a_spreadsheets_second_sheet_is_found_with_its_page(app, make):
    _attach(app, make, samples.pptx(["Agenda", "Zanzibarite telecentres pilot"]), "slides.pptx")
    assert "slides.pptx" in _results(app, "zanzibarite") and "Page 2" in _results(app, "zanzibarite")
    book = samples.xlsx(
        {"Budget": [["Item", "Cost"], ["Routers", 1200]], "Sites": [["Village", "Quortelink"]]}
    )
    _attach_as(app, make, book, "sites.xlsx", "samir")
    found = _results(app, "quortelink")
    assert "sites.xlsx" in found and "Page 2" in found


def test_a_hidden_posts_documents_are_not_found(app, make):
    from app.discussions.models import Post
    from app.extensions import db

    post_id = _attach(app, make, samples.pdf(["Zanzibarite telecentres"]), "telecentres.pdf")
    assert "telecentres.pdf" in _results(app, "zanzibarite")
    with app.app_context():
        post = db.session.get(Post, post_id)
    make.hidden(post)
    assert "telecentres.pdf" not in _results(app, "zanzibarite")
    assert "telecentres.pdf" in _results(app, "zanzibarite", make.admin())


def test_extraction_past_its_memory_bound_leaves_the_file_attached_and_unsearched(app, make):
    app.config["UPLOAD_EXTRACT_MEMORY_BYTES"] = 20 * 1024 * 1024  # too little for the PDF parser
    post_id = _attach(app, make, samples.pdf(["Zanzibarite telecentres"]), "bounded.pdf")
    assert "bounded.pdf" not in _results(app, "zanzibarite")
    assert "bounded.pdf" in client_for(app).get(f"/p/{post_id}", follow_redirects=True).get_data(as_text=True)


def test_extraction_past_its_time_bound_is_stopped(app):
    with app.app_context(), pytest.raises(ExtractionFailed, match="no text after"):
        digest = storage().put(samples.pdf(["Slow"]))
        extract_bounded(storage().path_of(digest), "application/pdf", 10, 0.001, 1024**3)


def test_has_attachment_finds_the_posts_that_carry_files_until_the_file_is_removed(app, make):
    post_id = _attach(app, make, samples.pdf(["Annex"]), "annex.pdf")
    make.reply(make.thread(title="Plain thread"), body="The report is attached elsewhere.")
    found = _results(app, "report has:attachment")
    assert f"/p/{post_id}" in found and "Plain thread" not in found
    assert "Plain thread" in _results(app, "report")
    with app.app_context():
        upload = db.session.execute(db.select(Upload)).scalar()
        upload_id, author = upload.id, client_for(app, db.session.get(User, upload.uploader_id))
    assert author.post(f"/files/{upload_id}/remove").status_code == 302
    assert f"/p/{post_id}" not in _results(app, "report has:attachment")
    assert "Only “has:attachment” is supported." in _results(app, "report has:video")


def test_a_declared_language_decides_how_a_documents_words_are_stemmed(app, make):
    """ "éducatives" stems to "educ" in French only as "éducatif" does: found once declared French."""
    text = "Ressources éducatives ouvertes pour les bibliothèques.".encode()
    _attach_declared(app, make, text, "ressources.txt", "amina", language=None)
    assert "ressources.txt" not in _results(app, "éducatif type:document")
    _attach_declared(app, make, text, "ressources-fr.txt", "omar", language="fr")
    assert "ressources-fr.txt" in _results(app, "éducatif type:document")


def _attach_declared(app, make, data, name, username, language):
    member, thread = make.user(username), make.thread(title="Open educational resources")
    client = client_for(app, member)
    form = {"for": "post", "file": (io.BytesIO(data), name)} | ({"language": language} if language else {})
    upload = client.post("/files", data=form, content_type="multipart/form-data").get_json()
    assert upload["language"] == language
    client.post(f"/t/{thread.id}", data={"body": "Notes.", "parent_id": "", "attachments": str(upload["id"])})


def test_a_language_that_is_not_offered_is_refused(app, make):
    client = client_for(app, make.user("amina"))
    answer = client.post(
        "/files",
        data={"for": "post", "language": "xx", "file": (io.BytesIO(b"text"), "a.txt")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400 and answer.get_json()["error"] == "Choose one of the languages offered."
