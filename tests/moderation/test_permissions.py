"""Who may do what: one rule table (role × moderation action → allowed), with the audit row it writes.

Anonymous users are sent to sign in; forbidden roles get 403; an allowed POST redirects and writes
exactly one audit row for moderator actions (none for a member's report).
"""

import pytest

from app.core.audit import AuditEntry
from app.extensions import db
from tests.factories import ROLES
from tests.support.signin import login_as

MODERATORS = {"moderator", "admin"}
ANY_MODERATOR = {"moderator", "other_moderator", "admin"}
ADMIN = {"admin"}
REPORTERS = {"member", "other_moderator", "moderator", "admin"}

# name: (method, url template, form data, roles allowed, audit action written when allowed)
RULES = {
    "queue": ("GET", "/moderation", None, ANY_MODERATOR, None),
    "audit log": ("GET", "/moderation/log", None, ANY_MODERATOR, None),
    "post tools": ("GET", "/moderation/p/{reply}", None, MODERATORS, None),
    "hide post": ("POST", "/moderation/p/{reply}/hide", {"hide-reason": "spam"}, MODERATORS, "hide_post"),
    "restore post": (
        "POST", "/moderation/p/{hidden}/restore", {"hide-reason": "fine"}, MODERATORS, "restore_post"
    ),
    "split branch": (
        "POST", "/moderation/p/{reply}/split", {"split-title": "A new thread", "split-reason": "r"},
        MODERATORS, "split_thread",
    ),
    "thread tools": ("GET", "/moderation/t/{thread}", None, MODERATORS, None),
    "lock": ("POST", "/moderation/t/{thread}/lock", {}, MODERATORS, "lock_thread"),
    "unlock": ("POST", "/moderation/t/{flagged}/unlock", {}, MODERATORS, "unlock_thread"),
    "pin": ("POST", "/moderation/t/{thread}/pin", {}, MODERATORS, "pin_thread"),
    "unpin": ("POST", "/moderation/t/{flagged}/unpin", {}, MODERATORS, "unpin_thread"),
    "hide thread": ("POST", "/moderation/t/{thread}/hide", {"hide-reason": "r"}, MODERATORS, "hide_thread"),
    "restore thread": (
        "POST", "/moderation/t/{hidden_thread}/restore", {"hide-reason": "r"}, MODERATORS, "restore_thread"
    ),
    "retitle": (
        "POST", "/moderation/t/{thread}/title", {"title-title": "A clearer title"}, MODERATORS, "retitle_thread"
    ),
    "slow mode": ("POST", "/moderation/t/{thread}/slow-mode", {"slow-seconds": "60"}, MODERATORS, "slow_mode"),
    "move": (
        "POST", "/moderation/t/{thread}/move", {"move-community": "c7-e-learning", "move-reason": "r"},
        MODERATORS, "move_thread",
    ),
    "merge": (
        "POST", "/moderation/t/{thread}/merge", {"merge-target": "{other}", "merge-reason": "r"},
        MODERATORS, "merge_thread",
    ),
    "report post": ("POST", "/moderation/report/post/{reply}", {"reason": "spam"}, REPORTERS, None),
    "report thread": ("POST", "/moderation/report/thread/{thread}", {"reason": "off_topic"}, REPORTERS, None),
    "claim": ("POST", "/moderation/items/{item}/claim", {}, MODERATORS, "review_claim"),
    "decide": (
        "POST", "/moderation/items/{item}/decide", {"decision": "hide", "note": "spam"}, MODERATORS, "review_hide"
    ),
    "approve held post": (
        "POST", "/moderation/items/{held_item}/decide", {"decision": "approve", "note": "fine"}, MODERATORS,
        "approve_post",
    ),
    "hold new posts": ("POST", "/moderation/c/c7-e-health/post-approval/on", {}, MODERATORS, "set_post_approval"),
    "approve account": (
        "POST", "/moderation/accounts/{pending}/approve", {"account-note": "known"}, ADMIN, "approve_account"
    ),
    "reject account": (
        "POST", "/moderation/accounts/{pending}/reject", {"account-note": "spam"}, ADMIN, "reject_account"
    ),
    "member tools": ("GET", "/moderation/u/member", None, ANY_MODERATOR - {"member"}, None),
    "warn": ("POST", "/moderation/u/member/warn", {"warn-reason": "be kind"}, ANY_MODERATOR, "warn_user"),
    "silence": (
        "POST", "/moderation/u/member/silence", {"silence-duration": "1d", "silence-reason": "r"},
        ANY_MODERATOR, "silence_user",
    ),
    "suspend": (
        "POST", "/moderation/u/member/suspend", {"suspend-duration": "forever", "suspend-reason": "r"},
        ANY_MODERATOR, "suspend_user",
    ),
    "lift silence": (
        "POST", "/moderation/u/silenced/lift-silence", {"lift-reason": "r"}, ANY_MODERATOR, "unsilence_user"
    ),
    "lift suspension": (
        "POST", "/moderation/u/suspended/lift-suspension", {"lift-reason": "r"}, ANY_MODERATOR, "unsuspend_user"
    ),
    "community tools": ("GET", "/moderation/c/c7-e-health", None, MODERATORS, None),
    "grant moderator": (
        "POST", "/moderation/c/c7-e-health/moderators", {"grant-username": "member"}, ADMIN, "grant_moderator"
    ),
    "revoke moderator": (
        "POST", "/moderation/c/c7/moderators/{moderator}/revoke", {}, ADMIN, "revoke_moderator"
    ),
    "public log on": ("POST", "/moderation/c/c7-e-health/public-log/on", {}, ADMIN, "set_public_log"),
}  # fmt: skip


# Hidden threads do not exist for those who may not moderate them.
NOT_FOUND_WHEN_DENIED = {"restore thread"}


def _fill(template: str, world: dict) -> str:
    return template.format(**world)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(RULES))
def test_moderation_rule_table(app, make, client, action, role):
    method, url, data, allowed_roles, audit_action = RULES[action]
    world = make.moderation_world()
    login_as(client, app, role, world)
    with app.app_context():
        audits_before = db.session.execute(db.select(db.func.count(AuditEntry.id))).scalar()
    form = {key: _fill(value, world) for key, value in (data or {}).items()}
    response = client.open(_fill(url, world), method=method, data=form if method == "POST" else None)

    if role == "anonymous":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    elif role in allowed_roles:
        assert response.status_code == (200 if method == "GET" else 302), response.get_data(as_text=True)
        if method == "POST":
            assert "/auth/login" not in response.headers["Location"]
    else:
        assert response.status_code == (404 if action in NOT_FOUND_WHEN_DENIED else 403)

    with app.app_context():
        new_rows = list(
            db.session.execute(db.select(AuditEntry.action).where(AuditEntry.id > audits_before)).scalars()
        )
    if role in allowed_roles and audit_action:
        assert new_rows == [audit_action]
    else:
        assert new_rows == []


@pytest.mark.parametrize(
    "url",
    [
        "/moderation/p/999999",
        "/moderation/t/999999",
        "/moderation/u/nobody-here",
        "/moderation/c/no-such-community",
        "/moderation/report/post/999999",
        "/c/no-such-community/moderation-log",
    ],
)
def test_unknown_ids_are_404(app, make, client, url):
    world = make.moderation_world()
    login_as(client, app, "admin", world)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/moderation/items/999999/claim",
        "/moderation/items/999999/decide",
        "/moderation/accounts/999999/approve",
        "/moderation/c/no-such-community/post-approval/on",
    ],
)
def test_unknown_review_items_are_404(app, make, client, url):
    world = make.moderation_world()
    login_as(client, app, "admin", world)
    assert client.post(url, data={"decision": "hide", "note": "x"}).status_code == 404


def test_moderators_cannot_sanction_each_other_or_admins(app, make, client):
    world = make.moderation_world()
    login_as(client, app, "other_moderator", world)
    for target in ("moderator", "admin", "other_moderator"):
        response = client.post(f"/moderation/u/{target}/warn", data={"warn-reason": "x"})
        assert response.status_code == 403
    login_as(client, app, "admin", world)
    assert client.post("/moderation/u/moderator/warn", data={"warn-reason": "x"}).status_code == 302
