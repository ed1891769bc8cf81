"""A contribution's files travel with the record: the final brief links them, the CSV/JSON exports list
them (name, type, size, pages, SHA-256, address), and the secretariat downloads the whole consultation
as one ZIP — metadata and files — for the archive. What a reader may not see stays out of each."""

import csv
import io
import json
import zipfile

from app.consultation import services
from app.extensions import db
from tests.factories import AFTER, Make
from tests.files import samples
from tests.support.clients import client_for


def _consultation_with_files(app, make: Make):
    consultation = make.consultation()
    author = make.user("amina")
    paper = make.contribution(consultation, author, "thematic", "accepted", title="Community networks")
    cv = make.contribution(consultation, make.user("omar"), "nomination", "submitted")
    make.attached_file("contribution", paper, author, samples.pdf(["Findings", "Annex"]), "findings.pdf")
    make.attached_file("contribution", cv, cv.author, samples.docx("Curriculum vitae"), "cv.docx")
    with app.app_context(), app.test_request_context():
        admin = make.consultation_admin(consultation)
        section = services.add_section(db.session.merge(consultation), admin, "workshops", "Themes")
        services.add_item(
            section, admin, "incorporated", "Taken up in session 2.", contribution=db.session.merge(paper)
        )
        services.publish(db.session.merge(consultation), admin, now=AFTER)
        db.session.commit()
    return consultation, paper, cv


def test_the_brief_and_the_exports_reference_the_files_a_reader_may_see(app, make):
    consultation, paper, _cv = _consultation_with_files(app, make)
    reader = client_for(app)
    brief = reader.get(f"/consultations/{consultation.slug}/brief").get_data(as_text=True)
    assert "findings.pdf" in brief and "/files/" in brief
    exported = json.loads(reader.get(f"/consultations/{consultation.slug}/export.json").get_data())
    (record,) = [r for r in exported["contributions"] if r["id"] == paper.id]
    (file,) = record["files"]
    assert file["name"] == "findings.pdf" and file["type"] == "application/pdf" and file["pages"] == 2
    downloaded = reader.get(file["url"].removeprefix("http://localhost"))
    assert downloaded.status_code == 200 and len(downloaded.data) == file["size"]
    assert "cv.docx" not in json.dumps(exported)  # a nomination is its author's and the secretariat's
    rows = csv.DictReader(
        io.StringIO(
            reader.get(f"/consultations/{consultation.slug}/export.csv").get_data().decode("utf-8-sig")
        )
    )
    assert any(row["files"].startswith("findings.pdf <http://localhost/files/") for row in rows)


def test_the_secretariat_downloads_the_whole_consultation_with_its_files_as_one_zip(app, make):
    consultation, paper, cv = _consultation_with_files(app, make)
    secretariat = client_for(app, make.consultation_admin(consultation))
    brief = secretariat.get(f"/consultations/{consultation.slug}/brief").get_data(as_text=True)
    assert "Download the archive (ZIP, with files)" in brief
    with secretariat.get(f"/consultations/{consultation.slug}/archive.zip") as response:
        assert response.status_code == 200 and response.mimetype == "application/zip"
        bundle = zipfile.ZipFile(io.BytesIO(response.data))
    document = json.loads(bundle.read("consultation.json"))
    assert (
        document["consultation"]["brief"]["sections"][0]["items"][0]["rationale"] == "Taken up in session 2."
    )
    paths = {file["name"]: file["path"] for record in document["contributions"] for file in record["files"]}
    assert set(paths) == {"findings.pdf", "cv.docx"}
    assert bundle.read(paths["findings.pdf"]).startswith(b"%PDF")
    assert bundle.read(paths["cv.docx"]).startswith(b"PK")
    assert "contributions.csv" in bundle.namelist()


def test_the_archive_is_for_the_secretariat_only(app, make):
    consultation, _paper, _cv = _consultation_with_files(app, make)
    assert (
        client_for(app, make.user("reader"))
        .get(f"/consultations/{consultation.slug}/archive.zip")
        .status_code
        == 403
    )
    assert client_for(app).get(f"/consultations/{consultation.slug}/archive.zip").status_code == 302
    assert "Download the archive" not in client_for(app).get(
        f"/consultations/{consultation.slug}/brief"
    ).get_data(as_text=True)
