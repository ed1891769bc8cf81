"""The Nu HTML Checker finds no error in the HTML of the same pages, in English and Arabic."""

import pytest

from tests.a11y.site import PAGE_NAMES
from tests.a11y.tools import run_vnu

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "ar"]


@pytest.fixture(scope="module")
def vnu_errors(a11y_site, a11y_browser, tmp_path_factory):
    """Save every page's HTML as served, then run the checker once over all of them (the JVM starts slowly)."""
    folder = tmp_path_factory.mktemp("html")
    files = []
    for language in LANGUAGES:
        context = a11y_browser.new_context(extra_http_headers={"Accept-Language": language})
        context.add_cookies(a11y_site.cookies())
        for name in PAGE_NAMES:
            request = context.request if a11y_site.signed_in(name) else a11y_browser.new_context().request
            response = request.get(a11y_site.url(name), headers={"Accept-Language": language})
            assert response.status == 200, f"{name} ({language}): HTTP {response.status}"
            files.append(folder / f"{name}.{language}.html")
            files[-1].write_text(response.text(), encoding="utf-8")
        context.close()
    return run_vnu(files)


def describe(messages) -> str:
    return "\n".join(
        f"  line {m.get('lastLine', '?')}: {m.get('message')} — {m.get('extract', '').strip()!r}"
        for m in messages
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_html_is_valid(vnu_errors, name, language):
    errors = vnu_errors[f"{name}.{language}.html"]
    print(f"\nNu HTML Checker on {name} ({language}): {len(errors)} error(s)\n{describe(errors)}")
    assert not errors, describe(errors)
