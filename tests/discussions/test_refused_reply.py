"""A refused reply comes back at the thread's own address, with what was typed (issue 13, item 11).

Re-rendering at /t/<id>/reply left the browser on a URL that only takes POST: reloading it, or
pressing Enter in the address bar, gave "405 Method Not Allowed" and lost the page.
"""

import re
from urllib.parse import urlsplit

import pytest

from app.discussions.models import Thread
from app.extensions import db
from tests.support.pages import select_one


def reply_form_action(page: str) -> str:
    return select_one(page, "form#reply-form").get("action")


@pytest.mark.parametrize("refusal", ["too short", "slow mode"])
def test_refused_reply_stays_at_the_thread_url_with_the_text_kept(client, auth, make, app, refusal):
    thread = make.thread()
    auth.login(make.user())
    typed = "x" if refusal == "too short" else "My second, carefully typed thought"
    if refusal == "slow mode":
        with app.app_context():
            db.session.get(Thread, thread.id).slow_mode_seconds = 3600
            db.session.commit()
        assert client.post(reply_form_action(client.get(f"/t/{thread.id}").get_data(as_text=True)),
                           data={"body": "A first reply"}).status_code == 302  # fmt: skip
    action = reply_form_action(client.get(f"/t/{thread.id}").get_data(as_text=True))
    assert urlsplit(action).path == f"/t/{thread.id}"
    refused = client.post(action, data={"body": typed})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert re.search(rf">\s*{re.escape(typed)}</textarea>", page)
    assert urlsplit(reply_form_action(page)).path == f"/t/{thread.id}"
    # Reloading the address the browser now shows (a GET) shows the thread, not a 405.
    assert client.get(action).status_code == 200


def test_the_old_reply_address_leads_back_to_the_thread(client, auth, make):
    thread = make.thread()
    auth.login(make.user())
    answer = client.get(f"/t/{thread.id}/reply")
    assert answer.status_code == 302 and urlsplit(answer.headers["Location"]).path == f"/t/{thread.id}"
