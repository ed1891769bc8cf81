"""The final brief as a publication: headline figures and charts, one heading per section, versions
with what changed, and the PDF in the reader's language."""

import io
import re

import feedparser
import pytest
from pypdf import PdfReader

from app.consultation import brief_pdf, services
from app.consultation import webhooks as consultation_webhooks
from app.consultation.models import BriefItem, Consultation
from app.extensions import db
from tests.factories import setup_data
from tests.support.clients import client_for, csrf_token_from
from tests.support.live import skip_or_fail


@pytest.fixture
def pdf_rendering():
    """WeasyPrint needs Pango from the system (apt-get install libpango-1.0-0 libpangoft2-1.0-0)."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        skip_or_fail(f"WeasyPrint cannot load Pango: {error}")


def _world(app, published=True):
    """Three contributions from two stakeholder groups in two regions; a brief of two sections."""
    with setup_data(app) as build:
        consultation = build.consultation(slug="wsis17")
        secretariat = build.secretariat(consultation)
        ngo = build.user(stakeholder_type="civil_society")
        backbone = build.contribution(
            consultation, ngo, state="accepted", title="Broadband backbone", region="africa"
        )
        ministry = build.user(stakeholder_type="government")
        arabic = build.contribution(
            consultation, ministry, state="accepted", title="Arabic content", region="arab_states"
        )
        build.contribution(consultation, ngo, state="submitted", title="Late thoughts", region="africa")
        thread = build.thread(title="Rural schools online")
        c2 = services.add_section(
            consultation, secretariat, "action_line", "C2 Information infrastructure",
            community=build.community("c2"),
        )  # fmt: skip
        services.add_item(c2, secretariat, "incorporated", "In the C2 session.", contribution=backbone)
        services.add_item(c2, secretariat, "noted", "For a later year.", thread=thread)
        workshops = services.add_section(consultation, secretariat, "workshops", "Workshops")
        services.add_item(workshops, secretariat, "noted", "Considered for 2018.", contribution=arabic)
        if published:
            services.publish(consultation, secretariat)
    return {
        "secretariat": secretariat, "backbone": backbone, "arabic": arabic, "thread": thread,
        "workshops_id": workshops.id,
    }  # fmt: skip


def _page(client, path="/consultations/wsis17/brief") -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_brief_opens_with_its_figures_contents_and_charts(app):
    world = _world(app)
    page = _page(client_for(app))
    figures = re.sub(r"\s+", " ", re.search(r'<dl class="key-figures">(.*?)</dl>', page, re.S).group(1))
    assert "<dt>inputs</dt><dd>3</dd>" in figures.replace("> <", "><")
    assert "<dt>stakeholder groups</dt><dd>2</dd>" in figures.replace("> <", "><")
    assert "<dt>regions</dt><dd>2</dd>" in figures.replace("> <", "><")
    assert "3 inputs from 2 stakeholder groups in 2 regions; 1 incorporated." in page
    contents = re.search(r'<nav class="brief-contents".*?</nav>', page, re.S).group(0)
    assert "C2 Information infrastructure" in contents and "Who contributed" in contents
    for chart in ("type", "stakeholder", "action_line", "region"):
        assert f'id="chart-{chart}"' in page
    assert f'/contributions/{world["backbone"].id}"' in page  # each input links to its page
    assert f'/t/{world["thread"].id}"' in page


def test_a_section_named_like_its_kind_says_it_once(app):
    _world(app)
    page = _page(client_for(app))
    assert re.search(r"><bdi>Workshops</bdi></h2>", page)
    assert "Workshops <span" not in page and "· Workshops" not in page
    assert "· Action line" in page  # a section whose title does not say its kind still shows it


def _correct(client, note):
    page = _page(client, "/consultations/wsis17/brief/edit")
    return client.post(
        "/consultations/wsis17/brief/corrections", data={"csrf_token": csrf_token_from(page), "note": note}
    )


def _redraft(app, world, contribution, disposition, rationale):
    """The secretariat changes an item in the editor after publication (its "Edit" form)."""
    with app.app_context():
        item_id = db.session.execute(
            db.select(BriefItem.id).filter_by(contribution_id=contribution.id)
        ).scalar_one()
    secretariat = client_for(app, world["secretariat"])
    page = _page(secretariat, "/consultations/wsis17/brief/edit")
    assert f'name="item-{item_id}-disposition"' in page
    return secretariat.post(
        f"/consultations/wsis17/brief/items/{item_id}",
        data={"csrf_token": csrf_token_from(page), f"item-{item_id}-disposition": disposition,
              f"item-{item_id}-rationale": rationale},
    )  # fmt: skip


def test_an_item_is_changed_in_the_editor_and_a_refusal_keeps_what_was_typed(app):
    world = _world(app)
    refused = _redraft(app, world, world["arabic"], "partially", "")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Explain the disposition." in page
    assert re.search(r'<option selected value="partially">|<option value="partially" selected>', page)
    assert _redraft(app, world, world["arabic"], "partially", "Half of it.").status_code == 302
    with app.app_context():
        item = db.session.execute(
            db.select(BriefItem).filter_by(contribution_id=world["arabic"].id)
        ).scalar_one()
        assert (item.disposition, item.rationale_html) == ("partially", "<p>Half of it.</p>")


def test_a_correction_keeps_the_earlier_version_readable_and_says_what_changed(app):
    world = _world(app)
    assert (
        _redraft(app, world, world["arabic"], "incorporated", "Workshop 112 takes it up.").status_code == 302
    )
    visitor, secretariat = client_for(app), client_for(app, world["secretariat"])
    before = _page(visitor)
    assert "Considered for 2018." in before and "Workshop 112" not in before  # the draft is not public
    assert "not published yet" in _page(secretariat)

    refused = _correct(secretariat, "")
    assert refused.status_code == 400 and "Say what the correction changes." in refused.get_data(as_text=True)
    assert _correct(secretariat, "The Arabic content workshop was taken up.").status_code == 302

    current = _page(visitor)
    assert "Workshop 112 takes it up." in current and "Version 2" in current
    assert "The Arabic content workshop was taken up." in current
    first = _page(visitor, "/consultations/wsis17/brief/versions/1")
    assert "Considered for 2018." in first and "This is an earlier version of the brief." in first
    changes = _page(visitor, "/consultations/wsis17/brief/versions/2")
    listed = re.search(r'<section class="brief-changes".*?</section>', changes, re.S).group(0)
    assert "Disposition changed" in listed and "<del>Noted</del> → <ins>Incorporated</ins>" in listed
    assert "Rationale changed" in listed and "Workshop 112" in listed
    assert visitor.get("/consultations/wsis17/brief/versions/3").status_code == 404

    again = _correct(secretariat, "Nothing really.")
    assert again.status_code == 400 and "Nothing has changed since version 2." in again.get_data(as_text=True)


def test_only_the_secretariat_publishes_corrections(app):
    world = _world(app)
    member = client_for(app, world["backbone"].author)
    page = _page(member)
    token = csrf_token_from(page)
    answer = member.post(
        "/consultations/wsis17/brief/corrections", data={"csrf_token": token, "note": "Mine."}
    )
    assert answer.status_code == 403
    with app.app_context():
        assert len(db.session.execute(db.select(Consultation)).scalar_one().brief_versions) == 1


def test_what_moderation_hides_leaves_every_version(app, pdf_rendering):
    world = _world(app)
    with setup_data(app) as build:
        build.hidden(build.get(type(world["thread"]), world["thread"].id))
    for path in ("/consultations/wsis17/brief", "/consultations/wsis17/brief/versions/1"):
        assert "Rural schools online" not in _page(client_for(app), path)
    assert "Rural schools online" not in _pdf_text(client_for(app).get("/consultations/wsis17/brief.pdf"))


def test_an_unpublished_brief_has_no_pdf_nor_versions(app):
    world = _world(app, published=False)
    visitor = client_for(app)
    assert visitor.get("/consultations/wsis17/brief.pdf").status_code == 404
    assert visitor.get("/consultations/wsis17/brief/versions/1").status_code == 404
    draft = _page(client_for(app, world["secretariat"]))
    assert "Draft: only the secretariat sees this" in draft and "Download PDF" not in draft


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def _pdf(app, language):
    response = client_for(app).get("/consultations/wsis17/brief.pdf", headers={"Accept-Language": language})
    return response, PdfReader(io.BytesIO(response.data))


def test_the_pdf_has_contents_figures_sections_and_page_numbers(app, pdf_rendering):
    world = _world(app)
    response, reader = _pdf(app, "en")
    assert "wsis17-brief-v1-en.pdf" in response.headers["Content-Disposition"]
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    text = "\n".join(pages)
    assert text.index("Final brief") < text.index("Contents") < text.index("C2 Information infrastructure")
    assert "3 inputs from 2 stakeholder groups in 2 regions; 1 incorporated." in re.sub(r"\s+", " ", text)
    assert world["backbone"].reference in text  # the reference number in one piece
    assert "Who contributed" in text and "Civil society" in text
    assert f"Page 1 / {len(pages)}" in pages[0] and f"Page {len(pages)} / {len(pages)}" in pages[-1]


@pytest.mark.parametrize(
    ("language", "title", "contents"), [("ar", "الموجز الختامي", "المحتويات"), ("zh", "最终简报", "目录")]
)
def test_the_pdf_is_in_the_readers_language(app, pdf_rendering, language, title, contents):
    _world(app)
    response, reader = _pdf(app, language)
    assert f"wsis17-brief-v1-{language}.pdf" in response.headers["Content-Disposition"]
    first = reader.pages[0].extract_text()
    assert title in first and contents in first  # Arabic extracted in reading order, not reversed
    assert first.index(title) < first.index(contents)


def test_the_api_feed_exports_and_webhooks_follow_the_published_version(app):
    world = _world(app)
    assert _redraft(app, world, world["arabic"], "incorporated", "Considered for 2018.").status_code == 302
    visitor = client_for(app)

    def exported_disposition():
        records = visitor.get("/consultations/wsis17/export.json").get_json()
        record = next(r for r in records["contributions"] if r["reference"] == world["arabic"].reference)
        return record["dispositions"][0]["disposition"]

    assert exported_disposition() == "noted"  # the draft's change is not published yet
    api_brief = visitor.get("/api/v1/consultations/wsis17/brief").get_json()
    assert api_brief["version"] == 1 and [v["number"] for v in api_brief["versions"]] == [1]
    assert {i["disposition"] for s in api_brief["sections"] for i in s["items"]} == {"incorporated", "noted"}
    assert "noted" in [i["disposition"] for i in api_brief["sections"][1]["items"]]

    assert _correct(client_for(app, world["secretariat"]), "Taken up after all.").status_code == 302
    assert exported_disposition() == "incorporated"
    api_brief = visitor.get("/api/v1/consultations/wsis17/brief").get_json()
    assert api_brief["version"] == 2 and api_brief["versions"][1]["note"] == "Taken up after all."
    assert api_brief["sections"][1]["items"][0]["disposition"] == "incorporated"
    feed = feedparser.parse(visitor.get("/consultations/wsis17/brief.atom").data)
    assert not feed.bozo and "Version 2" in [entry.title for entry in feed.entries]
    with app.app_context(), app.test_request_context():
        consultation = db.session.execute(db.select(Consultation)).scalar_one()
        payload = consultation_webhooks.describe_brief(consultation.id)
    assert payload["version"] == 2 and payload["note"] == "Taken up after all."
    assert payload["url"].endswith("/consultations/wsis17/brief/versions/2")


def test_the_same_brief_asked_again_is_not_made_again(app, pdf_rendering, monkeypatch):
    _world(app)
    made = []
    write_pdf = brief_pdf._write_pdf
    monkeypatch.setattr(brief_pdf, "_write_pdf", lambda html: made.append(html) or write_pdf(html))
    brief_pdf._made.clear()
    first, again = (client_for(app).get("/consultations/wsis17/brief.pdf").data for _ in range(2))
    assert first == again and len(made) == 1
    client_for(app).get("/consultations/wsis17/brief.pdf", headers={"Accept-Language": "fr"})
    assert len(made) == 2  # another language is another document
