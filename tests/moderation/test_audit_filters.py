"""The audit log's filters, pages and CSV export (issue 20).

Filters narrow what the viewer may read and never widen it: whatever a community moderator sends, they
read their communities' entries only, never another community's or a consultation's internal notes.
Values that are not valid are said on the page (no 500), with the form as typed.
"""

import csv
import io
from datetime import timedelta

import pytest

from app.consultation import services as consultation_services
from app.core.audit import AuditEntry
from app.core.time import utcnow
from app.extensions import db
from app.moderation import services as moderation
from tests.factories import community_id, setup_data
from tests.support.clients import client_for
from tests.support.pages import page_text, select, select_one

SCREEN_NOTE = "Screening note: overlaps with the ministry bid"


def _entry_id(action, target_type, target_id) -> int:
    return db.session.execute(
        db.select(AuditEntry.id).filter_by(action=action, target_type=target_type, target_id=target_id)
    ).scalar_one()


@pytest.fixture
def world(app):
    """Four entries the roles read differently: a lock in C7 E-health, a lock in C1, a warning (no
    community) and a consultation's internal screening note (its secretariat's)."""
    with setup_data(app) as build:
        people = {
            "admin": build.admin(),
            "moderator": build.moderator("c7", "moderator"),
            "other_moderator": build.moderator("c1", "other_moderator"),
            "member": build.user("member"),
        }
        consultation = build.consultation()
        people["secretariat"] = build.secretariat(consultation)
        health = build.locked(build.thread("c7-e-health", title="Rural clinics"), people["moderator"])
        governments = build.locked(build.thread("c1", title="Role of governments"), people["other_moderator"])
        moderation.warn(people["member"], people["admin"], "Please keep to the topic.")
        contribution = build.contribution(
            consultation, state="submitted", action_line_ids=[community_id("c2")]
        )
        consultation_services.screen(contribution, people["secretariat"], note=SCREEN_NOTE)
        db.session.flush()
        entries = {
            "c7": _entry_id("lock_thread", "thread", health.id),
            "c1": _entry_id("lock_thread", "thread", governments.id),
            "warning": _entry_id("warn_user", "user", people["member"].id),
            "internal": _entry_id("contribution.screen", "contribution", contribution.id),
        }
        ids = {name: person.id for name, person in people.items()}
        ids.update(c7=community_id("c7"), c1=community_id("c1"), consultation=consultation.id)
    return {"people": people, "ids": ids, "entries": entries}


READABLE = {
    "admin": {"c7", "c1", "warning", "internal"},
    "moderator": {"c7"},
    "other_moderator": {"c1"},
    "secretariat": {"internal"},
}

# name: (query string, the entries it matches, roles for whom it names something outside what they may
# read: the page says so and lists nothing)
FILTERS = {
    "none": ("", {"c7", "c1", "warning", "internal"}, set()),
    "community C7": ("community={c7}", {"c7"}, {"other_moderator", "secretariat"}),
    "community C1": ("community={c1}", {"c1"}, {"moderator", "secretariat"}),
    "action lock": ("action=lock_thread", {"c7", "c1"}, set()),
    "action screen": ("action=contribution.screen", {"internal"}, set()),
    "moderator": ("actor={moderator}", {"c7"}, {"other_moderator", "secretariat"}),
    "secretariat": ("actor={secretariat}", {"internal"}, {"moderator", "other_moderator"}),
    "member": ("member=member", {"warning"}, set()),
    "dates around": ("from={yesterday}&to={tomorrow}", {"c7", "c1", "warning", "internal"}, set()),
    "dates after": ("from={tomorrow}", set(), set()),
    "every filter": (
        "actor={moderator}&action=lock_thread&community={c7}&from={yesterday}&to={tomorrow}",
        {"c7"},
        {"other_moderator", "secretariat"},
    ),
    "negative community": (
        "community=-{c1}",
        set(),
        {"admin", "moderator", "other_moderator", "secretariat"},
    ),
    # Sent by hand: what they name is only ever narrowed to what the role reads (None: no exact list).
    "two communities": ("community={c7}&community={c1}", None, set()),
    "consultation": ("consultation={consultation}", None, set()),
    "screening in a consultation": ("action=contribution.screen&consultation={consultation}", None, set()),
}


def _url(query: str, ids: dict) -> str:
    today = utcnow().date()
    values = dict(ids, yesterday=today - timedelta(days=1), tomorrow=today + timedelta(days=1))
    return "/moderation/log?" + query.format(**values)


def _shown(html: str, entries: dict) -> set[str]:
    by_id = {str(entry_id): name for name, entry_id in entries.items()}
    return {
        by_id[row.get("data-entry-id")]
        for row in select(html, "tr.audit-entry")
        if row.get("data-entry-id") in by_id
    }


@pytest.mark.parametrize(
    "role", ["admin", "moderator", "other_moderator", "secretariat", "member", "anonymous"]
)
@pytest.mark.parametrize("name", list(FILTERS))
def test_audit_filters_never_widen_what_a_role_reads(app, world, role, name):
    query, matches, outside = FILTERS[name]
    client = client_for(app, world["people"][role]) if role != "anonymous" else app.test_client()
    response = client.get(_url(query, world["ids"]))
    if role == "anonymous":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
        return
    if role == "member":
        assert response.status_code == 403
        return
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    shown = _shown(html, world["entries"])
    assert shown <= READABLE[role]
    assert SCREEN_NOTE not in html or role in ("admin", "secretariat")
    if role in outside:
        assert select(html, ".audit-filters .error"), "the page says which value it cannot use"
        assert shown == set()
    elif matches is not None:
        assert not select(html, ".audit-filters .error")
        assert shown == READABLE[role] & matches


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-13-40", "from", "“2026-13-40” is not a date: write it as YYYY-MM-DD."),
        ("to=yesterday", "to", "“yesterday” is not a date: write it as YYYY-MM-DD."),
        ("from=2026-05-02&to=2026-05-01", "to", "The end date is before the start date."),
        ("action=drop_tables", "action", "Choose one from the list."),
        ("community=abc", "community", "Choose one from the list."),
        ("actor=1e3", "actor", "Choose one from the list."),
        ("member=nobody_here", "member", "There is no member called “nobody_here”."),
    ],
)
def test_bad_filter_values_are_said_on_the_page_and_kept(app, world, query, field, message):
    response = client_for(app, world["people"]["admin"]).get("/moderation/log?" + query)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in select_one(html, ".audit-filters").text
    typed = query.split(f"{field}=")[1].split("&")[0]
    control = select_one(html, f".audit-filters [name='{field}']")
    if control.tag == "input":
        assert control.get("value") == typed
    assert not select(html, "tr.audit-entry")


def test_the_filter_form_keeps_its_values(app, world):
    ids = world["ids"]
    url = _url("actor={moderator}&action=lock_thread&member=member&community={c7}&from={yesterday}", ids)
    html = client_for(app, world["people"]["admin"]).get(url).get_data(as_text=True)
    form = select_one(html, "form.audit-filters")
    assert form.get("method") == "get"
    assert (
        select_one(html, f"select[name='actor'] option[value='{ids['moderator']}']").get("selected")
        is not None
    )
    assert select_one(html, "select[name='action'] option[value='lock_thread']").get("selected") is not None
    assert (
        select_one(html, f"select[name='community'] option[value='{ids['c7']}']").get("selected") is not None
    )
    assert select_one(html, "input[name='member']").get("value") == "member"
    assert select_one(html, "input[name='from']").get("value") == str(utcnow().date() - timedelta(days=1))


def test_a_moderator_is_offered_only_their_communities(app, world):
    html = client_for(app, world["people"]["moderator"]).get("/moderation/log").get_data(as_text=True)
    offered = {option.get("value") for option in select(html, "select[name='community'] option")}
    assert str(world["ids"]["c7"]) in offered and str(world["ids"]["c1"]) not in offered


def test_the_log_is_paged_and_each_page_keeps_the_filters(app, make, world):
    thread = make.thread(title="A busy thread")
    with setup_data(app) as build:
        for number in range(55):
            build.retitled(build.get(type(thread), thread.id), f"A busy thread, title {number}")
    client = client_for(app, world["people"]["admin"])
    since = utcnow().date() - timedelta(days=1)
    first = client.get(f"/moderation/log?action=retitle_thread&from={since}").get_data(as_text=True)
    assert len(select(first, "tr.audit-entry")) == 50
    older = select_one(first, ".pagination a[rel='next']").get("href")
    assert "action=retitle_thread" in older and f"from={since}" in older and "page=2" in older
    second = client.get(older).get_data(as_text=True)
    assert len(select(second, "tr.audit-entry")) == 5
    assert "Page 2 of 2" in page_text(second)


@pytest.mark.parametrize(("time_zone", "day", "next_day"), [(None, "01", "02"), ("Asia/Tokyo", "02", "03")])
def test_the_date_range_is_whole_days_in_the_viewers_time_zone(app, make, world, time_zone, day, next_day):
    with app.app_context():  # an entry of 1 May 2024, 23:30 UTC (2 May in Tokyo)
        entry = db.session.get(AuditEntry, world["entries"]["c1"])
        entry.created_at = entry.created_at.replace(year=2024, month=5, day=1, hour=23, minute=30)
        db.session.commit()
    client = client_for(app, make.admin(time_zone=time_zone))
    that_day = client.get(f"/moderation/log?from=2024-05-{day}&to=2024-05-{day}").get_data(as_text=True)
    assert _shown(that_day, world["entries"]) == {"c1"}
    after = client.get(f"/moderation/log?from=2024-05-{next_day}&to=2024-05-31").get_data(as_text=True)
    assert _shown(after, world["entries"]) == set()
    before = client.get("/moderation/log?to=2024-04-30").get_data(as_text=True)
    assert _shown(before, world["entries"]) == set()


@pytest.mark.parametrize("role", ["moderator", "secretariat", "member"])
def test_only_administrators_export_the_log(app, world, role):
    assert client_for(app, world["people"][role]).get("/moderation/log.csv").status_code == 403
    html = client_for(app, world["people"][role]).get("/moderation/log").get_data(as_text=True)
    assert not select(html, "a[href^='/moderation/log.csv']")


def test_anonymous_visitors_are_sent_to_sign_in_for_the_export(app, world):
    response = app.test_client().get("/moderation/log.csv")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_an_administrator_exports_the_filtered_entries_as_csv(app, world):
    client = client_for(app, world["people"]["admin"])
    html = client.get("/moderation/log?action=lock_thread").get_data(as_text=True)
    link = select_one(html, "a[href^='/moderation/log.csv']").get("href")
    assert "action=lock_thread" in link
    response = client.get(link)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")  # spreadsheet programs read the text as UTF-8
    rows = list(csv.DictReader(io.StringIO(body[1:])))
    assert {int(row["id"]) for row in rows} == {world["entries"]["c7"], world["entries"]["c1"]}
    by_id = {int(row["id"]): row for row in rows}
    health = by_id[world["entries"]["c7"]]
    assert health["action"] == "lock_thread"
    assert health["actor"] == "moderator"
    assert health["community"] == "C7 E-health"
    assert health["summary"] == "moderator locked the thread “Rural clinics”."


def test_a_formula_in_a_reason_is_exported_as_text(app, make, world):
    thread = make.thread()
    with setup_data(app) as build:
        moderation.lock_thread(build.get(type(thread), thread.id), None, '=HYPERLINK("http://example.com")')
        entry_id = _entry_id("lock_thread", "thread", thread.id)
    body = client_for(app, world["people"]["admin"]).get("/moderation/log.csv").get_data(as_text=True)
    rows = {int(row["id"]): row for row in csv.DictReader(io.StringIO(body[1:]))}
    assert rows[entry_id]["reason"] == '\'=HYPERLINK("http://example.com")'
