"""The seeded community names and descriptions are in the catalogs, and shown translated."""

from app.communities.seed import ACTION_LINES, C7_SUB_LINES
from app.i18n.seeded import SEEDED_TEXTS


def test_every_seeded_text_is_marked_for_translation():
    seeded = [text for _slug, _code, *texts in ACTION_LINES for text in texts]
    seeded += [text for _slug, *texts in C7_SUB_LINES for text in texts]
    assert sorted(seeded) == sorted(SEEDED_TEXTS)


def test_community_names_are_shown_in_the_page_language(client):
    html = client.get("/c/c7-e-health", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Cybersanté" in html
    assert "E-health" not in html


def test_a_name_not_in_the_catalog_is_shown_as_stored_and_escaped(app):
    from flask import render_template_string

    with app.test_request_context(headers={"Accept-Language": "ar"}):
        assert render_template_string("{{ name|translated }}", name="<b>%s Local</b>") == (
            "&lt;b&gt;%s Local&lt;/b&gt;"
        )
