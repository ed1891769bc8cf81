"""Test clients signed in without the sign-in form, and the CSRF token a page carries."""

import re


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user):
        """Sign `user` in on this client without going through the form."""
        with self._client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    def logout(self):
        with self._client.session_transaction() as session:
            session.clear()


def client_for(app, user=None):
    """A fresh test client signed in as `user` (None: anonymous)."""
    client = app.test_client()
    if user is not None:
        AuthActions(client).login(user)
    return client


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html
    )
    assert match, "no CSRF token in page"
    return match.group(1)
