"""Opening the pages under test in Chromium, in a given language, as the right person."""

from contextlib import contextmanager


@contextmanager
def page_in(browser, site, name: str, language: str, **context_options):
    """A page showing `name` in `language`; signed in when the page is for members."""
    context = browser.new_context(locale=language, extra_http_headers={"Accept-Language": language},
                                  **context_options)  # fmt: skip
    if site.signed_in(name):
        context.add_cookies(site.cookies())
    page = context.new_page()
    try:
        response = page.goto(site.url(name))
        assert response.status == 200, f"{name} ({language}): HTTP {response.status}"
        page.wait_for_selector("main#main")
        yield page
    finally:
        context.close()
