"""A live Majlis with content on every page the accessibility checks visit."""

import re
import subprocess
import sys

from tests.support.http import Visitor
from tests.support.live import ROOT

PASSWORD = "a long enough password"
CREATE_MISSING_TABLES = (
    "from app import create_app; from app.extensions import db; app = create_app()\n"
    "with app.app_context(): db.create_all()"
)

# (name, path template, who looks at it); {thread} is filled in once the content exists.
PAGES = [
    ("home", "/", "member"),
    ("community", "/c/c7-e-health", "member"),
    ("thread-tree", "/t/{thread}?view=tree", "member"),
    ("thread-flat", "/t/{thread}?view=flat", "member"),
    ("new-thread", "/c/c7-e-health/new", "member"),
    ("search-results", "/search?q=clinics", "member"),
    ("consultation-timeline", "/consultations/wsis-forum-live", "member"),
    ("contribution-form", "/consultations/wsis-forum-live/contribute/thematic", "member"),
    ("notifications", "/notifications", "member"),
    ("moderation-queue", "/moderation", "member"),
    ("sign-in", "/auth/login", "visitor"),
    ("registration", "/auth/register", "visitor"),
    ("profile", "/u/amina", "member"),
]
PAGE_NAMES = [name for name, _path, _who in PAGES]


class Site:
    """The running server, the paths of the pages, and the signed-in member's cookies."""

    def __init__(self, server, thread_id, member):
        self.server = server
        self.thread_id = thread_id
        self.member = member

    def url(self, name: str) -> str:
        path, _who = next((path, who) for page, path, who in PAGES if page == name)
        return self.server.url + path.format(thread=self.thread_id)

    def signed_in(self, name: str) -> bool:
        return next(who for page, _path, who in PAGES if page == name) == "member"

    def cookies(self) -> list[dict]:
        return [{"name": c.name, "value": c.value, "url": self.server.url} for c in self.member.http.cookies]


def populate(server) -> Site:
    """Demo consultations, a thread with a reply tree in Arabic, Chinese and English, a report, a notification."""
    subprocess.run(
        [sys.executable, "-c", CREATE_MISSING_TABLES], cwd=ROOT, env=server.env, check=True, timeout=120
    )
    server.flask("seed-demo")
    amina = Visitor(server.url).register(
        "amina", PASSWORD, display_name="أمينة الحداد", organisation="وزارة الصحة"
    )
    li = Visitor(server.url).register("li_na", PASSWORD, display_name="李娜", organisation="清华大学")
    server.flask("create-admin", "amina", "amina@example.org", "--password", PASSWORD)
    thread_id = amina.new_thread(
        "c7-e-health", "الطب عن بُعد في العيادات الريفية (rural clinics)",
        "كيف نربط **العيادات الريفية** بالأطباء المختصين؟ جرّبنا 3 حلول في 2024.",
    )  # fmt: skip
    opening = int(re.search(r'id="p(\d+)"', amina.http.get(f"{server.url}/t/{thread_id}").text).group(1))
    first = li.reply(
        thread_id, "我们在云南的试点使用了卫星链路，每个诊所每月费用约为 120 美元。", parent_id=opening
    )
    li.reply(
        thread_id,
        "Satellite links worked in our pilot; the clinics paid about USD 120 a month.",
        parent_id=first,
    )
    answer = amina.reply(thread_id, "شكرًا! هل كانت سرعة الاتصال كافية للاستشارات بالفيديو؟", parent_id=first)
    _report(li, server, answer)
    return Site(server, thread_id, amina)


def _report(visitor, server, post_id) -> None:
    path = f"/moderation/report/post/{post_id}"
    token = visitor.token(path)
    response = visitor.http.post(
        server.url + path, data={"csrf_token": token, "reason": "spam", "note": "Test report"}, timeout=10
    )
    assert response.status_code in (200, 302), response.text[:300]
