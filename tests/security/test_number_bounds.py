"""Numbers typed into URLs and forms beyond what the database holds.

On PostgreSQL an id past 2**31 - 1 or an offset past 2**63 - 1 makes the query itself fail, so every
such number must be refused or bounded before it reaches SQL (CI runs this file on both databases).
"""

import pytest

from app.core.database import MAX_ID, MAX_PAGE, bounded_page, parse_id
from app.discussions.models import Post
from app.extensions import db
from tests.support.signin import login_as

HUGE = str(2**70)

# (url, status, what the page shows): a page past the end is not found, anything else still answers
LISTINGS = [
    ("/?page={huge}", 200, "C7"),
    ("/c/c7-e-health?page={huge}", 404, ""),
    ("/c/c7-e-health?page=-{huge}", 200, "Telemedicine in rural clinics"),
    ("/t/{thread}?page={huge}", 200, "Telemedicine in rural clinics"),
    ("/t/{thread}?reply_to={huge}", 200, "Telemedicine in rural clinics"),
    ("/t/{thread}?reply_to=²", 200, "Telemedicine in rural clinics"),
    ("/search?q=telemedicine&page={huge}", 200, "telemedicine"),
    ("/search?q=thread:{huge}", 200, "thread:"),
    ("/moderation?community={huge}", 200, "queue"),
    ("/moderation/log?page={huge}", 200, "log"),
    ("/moderation/log?community={huge}", 200, "log"),
]


@pytest.mark.parametrize(("url", "status", "shown"), LISTINGS)
def test_huge_page_and_id_arguments_still_answer_the_page(app, make, url, status, shown):
    world = make.moderation_world()
    client = app.test_client()
    login_as(client, app, "admin", world)
    response = client.get(url.format(huge=HUGE, **world))
    assert response.status_code == status
    assert shown.lower() in response.get_data(as_text=True).lower()


def test_notifications_page_past_the_end_is_not_found(app, make):
    world = make.moderation_world()
    client = app.test_client()
    login_as(client, app, "member", world)
    assert client.get(f"/notifications?page={HUGE}").status_code == 404


@pytest.mark.parametrize("parent_id", [HUGE, str(MAX_ID + 1), "²", "١٢", "-3", "3.0"])
def test_reply_to_an_impossible_parent_keeps_the_text_and_says_why(app, make, parent_id):
    world = make.moderation_world()
    client = app.test_client()
    login_as(client, app, "member", world)
    response = client.post(
        f"/t/{world['thread']}/reply", data={"body": "My careful reply text", "parent_id": parent_id}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "My careful reply text" in page
    assert "The post you reply to is not in this thread." in page or "That post does not exist." in page
    with app.app_context():
        assert (
            db.session.execute(db.select(Post).filter_by(body_source="My careful reply text")).first() is None
        )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7), (" 7 ", 7), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("0", None), ("", None),
     (None, None), ("²", None), ("١", None), ("-1", None), ("1e3", None), (HUGE, None)],
)  # fmt: skip
def test_parse_id(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3),
        (None, 1),
        ("x", 1),
        ("0", 1),
        ("-2", 1),
        (HUGE, MAX_PAGE),
        ("999999999", MAX_PAGE),
        ("9" * 5000, MAX_PAGE),
    ],
)
def test_bounded_page(value, expected):
    assert bounded_page(value) == expected
