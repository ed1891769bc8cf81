from tests.a11y.pages import page_in
def test_dbg(a11y_site, a11y_browser):
    for name in ("home", "consultation-timeline", "registration"):
        with page_in(a11y_browser, a11y_site, name, "ar", viewport={"width": 1100, "height": 900}) as page:
            page.screenshot(path=f"/tmp/i18n/{name}-ar.png", full_page=False)
