"""NUL bytes in URLs, query strings and forms: PostgreSQL cannot store or even compare text holding
one, so they are refused before any query (CI runs this file on both databases)."""

import pytest

from tests.support.signin import login_as


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/c/%00/moderation-log", 404),
        ("/c/c7%00", 404),
        ("/moderation/u/%00", 404),
        ("/u/member%00", 404),
        ("/moderation/log?action=%00", 400),
        ("/t/{thread}?view=flat%00", 400),
        ("/auth/login?next=/%00", 400),
    ],
)
def test_nul_bytes_in_urls_are_refused_not_500(app, make, url, status):
    world = make.moderation_world()
    client = app.test_client()
    login_as(client, app, "admin", world)
    assert client.get(url.format(**world)).status_code == status


@pytest.mark.parametrize("query", ["digital\x00inclusion", "digital inclusion author:\x00"])
def test_a_pasted_nul_still_searches(app, make, query):
    thread = make.thread(title="Digital inclusion in schools", body="Digital inclusion for all")
    page = app.test_client().get("/search", query_string={"q": query})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'data-id="{thread.id}"' in html
    assert ("needs a value" in html) is ("author:" in query)  # the NUL is a space: author: is empty
