"""Personal access tokens: a member creates one in their settings and sees its secret once; it is
kept only as a digest, works as `Authorization: Bearer`, shows when it was last used, and stops
when revoked, when it expires, and while its member is suspended."""

import re
from datetime import timedelta

from app.auth.models import AccessToken
from app.core.time import utcnow
from app.extensions import db
from tests.support.clients import client_for


def _create(client, name="Website widget", scopes=("read",), days="90"):
    return client.post("/settings/tokens", data={"name": name, "scopes": list(scopes), "days": days})


def _secret(html: str) -> str:
    match = re.search(r'id="new-token"[^>]*value="(mjl_[^"]+)"', html)
    assert match, "no new token shown"
    return match.group(1)


def _me(app, secret):
    return app.test_client().get(
        "/api/v1/communities/c7-e-health/threads", headers={"Authorization": f"Bearer {secret}"}
    )


def test_a_new_token_is_shown_once_and_kept_only_as_a_digest(app, make):
    member = make.user()
    client = client_for(app, member)
    created = _create(client)
    assert created.status_code == 201
    secret = _secret(created.get_data(as_text=True))
    listing = client.get("/settings/tokens").get_data(as_text=True)
    assert secret not in listing and "Website widget" in listing and secret[:8] in listing
    with app.app_context():
        row = db.session.execute(db.select(AccessToken)).scalar_one()
        assert secret not in (row.digest, row.hint, row.name) and len(row.digest) == 64
        assert row.scopes == "read" and row.expires_at > utcnow() + timedelta(days=89)


def test_a_token_works_and_its_use_is_shown_in_the_settings(app, make):
    member = make.user()
    client = client_for(app, member)
    secret = _secret(_create(client).get_data(as_text=True))
    assert "Never used" in client.get("/settings/tokens").get_data(as_text=True)
    assert _me(app, secret).status_code == 200
    assert "Never used" not in client.get("/settings/tokens").get_data(as_text=True)


def test_a_rejected_form_keeps_what_was_typed(app, make):
    client = client_for(app, make.user())
    answer = _create(client, name="Reporting tool", scopes=())
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert 'value="Reporting tool"' in html and "Choose at least one scope." in html
    assert 'id="new-token"' not in html


def test_revoked_expired_and_suspended_tokens_are_refused(app, make):
    member = make.user()
    client = client_for(app, member)
    revoked = _secret(_create(client, name="Old script").get_data(as_text=True))
    kept = _secret(_create(client, name="Dashboard").get_data(as_text=True))
    with app.app_context():
        token_id = db.session.execute(db.select(AccessToken.id).filter_by(name="Old script")).scalar_one()
    assert client.post(f"/settings/tokens/{token_id}/revoke").status_code == 302
    refused = _me(app, revoked)
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert _me(app, kept).status_code == 200
    make.suspended(member)
    assert _me(app, kept).status_code == 401


def test_an_expired_token_is_refused_and_marked(app, make):
    member = make.user()
    client = client_for(app, member)
    secret = _secret(_create(client).get_data(as_text=True))
    with app.app_context():
        db.session.execute(db.update(AccessToken).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert _me(app, secret).status_code == 401
    assert "Expired" in client.get("/settings/tokens").get_data(as_text=True)


def test_only_the_owner_revokes_a_token(app, make):
    owner, other = make.user(), make.user()
    _create(client_for(app, owner))
    with app.app_context():
        token_id = db.session.execute(db.select(AccessToken.id)).scalar_one()
    assert client_for(app, other).post(f"/settings/tokens/{token_id}/revoke").status_code == 404
    assert app.test_client().post(f"/settings/tokens/{token_id}/revoke").status_code == 302  # to sign-in
    with app.app_context():
        assert db.session.get(AccessToken, token_id).revoked_at is None
