"""A person's browser session against a live server, over plain HTTP (requests), CSRF included."""

import re

import requests

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Visitor:
    def __init__(self, base_url: str):
        self.base = base_url
        self.http = requests.Session()

    def token(self, path: str) -> str:
        """A CSRF token from `path` (tokens stay valid for the whole session, so one is cached)."""
        if getattr(self, "_token", None):
            return self._token
        page = self.http.get(self.base + path, timeout=10)
        page.raise_for_status()
        self._token = TOKEN.search(page.text).group(1)
        return self._token

    def register(self, username: str, password: str = "a long enough password", **profile):
        token = self.token("/auth/register")
        data = {
            "csrf_token": token,
            "username": username,
            "email": f"{username}@example.org",
            "password": password,
            "password_confirm": password,
            "display_name": profile.get("display_name", username.title()),
            "organisation": profile.get("organisation", "Example Org"),
            "stakeholder_type": profile.get("stakeholder_type", "civil_society"),
            "country": profile.get("country", ""),
        }
        response = self.http.post(self.base + "/auth/register", data=data, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        self._token = None  # signing in starts a new session
        return self

    def choose_language(self, lang: str) -> None:
        """The language switcher's POST, as the member sends it (it is kept on the account)."""
        response = self.http.post(
            f"{self.base}/language",
            data={"csrf_token": self.token("/"), "language": lang, "next": "/"},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text[:300]

    def new_thread(self, slug: str, title: str, body: str) -> int:
        token = self.token(f"/c/{slug}/new")
        response = self.http.post(
            f"{self.base}/c/{slug}/new",
            data={"csrf_token": token, "title": title, "body": body},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text[:500]
        return int(re.search(r"/t/(\d+)", response.headers["Location"]).group(1))

    def upload(self, data: bytes, name: str, for_kind: str = "post") -> dict:
        """Send a file as the page's uploader does; returns the route's JSON description of it."""
        response = self.http.post(
            f"{self.base}/files",
            data={"for": for_kind},
            files={"file": (name, data)},
            headers={"X-CSRFToken": self.token("/")},
            timeout=60,
        )
        assert response.status_code == 201, response.text[:500]
        return response.json()

    def reply(self, thread_id: int, body: str, parent_id: int | None = None, attachments=()) -> int:
        token = self.token(f"/t/{thread_id}")
        data = {"csrf_token": token, "body": body}
        if parent_id:
            data["parent_id"] = str(parent_id)
        if attachments:
            data["attachments"] = ",".join(str(upload["id"]) for upload in attachments)
        response = self.http.post(
            f"{self.base}/t/{thread_id}/reply", data=data, allow_redirects=False, timeout=10
        )
        assert response.status_code == 302, response.text[:500]
        return int(response.headers["Location"].rsplit("#p", 1)[1])

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
