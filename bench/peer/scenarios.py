"""What each scenario requests from each forum, and how a response is checked.

A `Visit` is one HTTP client (a `requests.Session`, so one connection, kept alive where the server
allows): `prepare()` runs once, untimed (sign-in, CSRF tokens); `call()` is one timed request, or for a
reply the POST and the redirects it leads to, and returns whether the response is right.
"""

import html
import itertools
import re
import time

import dataset
import requests

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
# "… member": the same page for a signed-in member, which Majlis renders every time (anonymous visitors
# get pages kept until the next write, app/core/page_cache.py; FlaskBB keeps none).
SCENARIOS = ["home", "community", "thread first", "thread last", "search rare", "search common", "reply",
             "home member", "community member", "thread member", "search rare member",
             "static file", "sign-in page"]  # fmt: skip
_replies = itertools.count(1)


def csrf_token(page: str) -> str:
    match = CSRF.search(page)
    if not match:
        raise RuntimeError("no csrf_token in the form")
    return match.group(1) or match.group(2)


def plain(text: str) -> str:
    """Page or Markdown text without tags, emphasis and extra spaces, to look for phrases in."""
    return " ".join(re.sub(r"<[^>]+>|[*_]", " ", text).split())


def rare_phrase(body: str) -> str:
    """The rare word with the word after it (or before it, at the end): the post's own words in any results."""
    words = plain(body).split()
    at = words.index(dataset.RARE_WORD)
    return " ".join(words[at : at + 2] if at + 1 < len(words) else words[at - 1 : at + 1])


class Expectations:
    """What the pages must show, from the data set."""

    def __init__(self, data: dataset.DataSet):
        big = data.topics[0]
        self.big_title = html.escape(big.title)
        self.big_pages = -(-len(big.posts) // 50)
        in_forum = [t for t in data.topics if t.forum == dataset.BIG_TOPIC_FORUM]
        self.community_top = html.escape(max(in_forum, key=lambda t: t.posts[-1].created_at).title)
        self.rare_phrases = [rare_phrase(post.body) for post in data.posts if dataset.RARE_WORD in post.body]
        self.reply_topics = dataset.reply_topics(data)
        self.forum_title = dict(dataset.FORUMS)[dataset.BIG_TOPIC_FORUM]


class Visit:
    def __init__(self, app: str, url: str, ids: dict, expect: Expectations, scenario: str, slot: int):
        self.app, self.url, self.ids, self.expect, self.scenario, self.slot = (
            app,
            url,
            ids,
            expect,
            scenario,
            slot,
        )
        self.http = requests.Session()
        self.token = None
        self.last_error = ""
        self.elapsed = 0.0

    # addresses ------------------------------------------------------------------------------------------

    def topic_id(self, index: int) -> int:
        return self.ids["topics"][index] if self.app == "flaskbb" else index + 1

    def topic_url(self, index: int, page: int = 1) -> str:
        if self.app == "flaskbb":
            return f"/topic/{self.topic_id(index)}" + (f"?page={page}" if page > 1 else "")
        return f"/t/{self.topic_id(index)}" + (f"?page={page}" if page > 1 else "")

    def reply_topic(self) -> int:
        return self.expect.reply_topics[self.slot % len(self.expect.reply_topics)]

    # set-up -----------------------------------------------------------------------------------------------

    def prepare(self) -> "Visit":
        if self.scenario.endswith(" member"):
            self.sign_in()
        if self.scenario == "reply":
            self.sign_in()
            form = f"/topic/{self.topic_id(self.reply_topic())}/post/new" if self.app == "flaskbb" else None
            page = self.get(form or self.topic_url(self.reply_topic()))
            self.token = csrf_token(page.text)
        elif self.scenario.startswith("search") and self.app == "flaskbb":
            self.token = csrf_token(self.get("/search").text)
        return self

    def sign_in(self) -> None:
        username = dataset.users()[self.slot % dataset.USERS][0]
        token = csrf_token(self.get("/auth/login").text)
        if self.app == "flaskbb":
            form = {"login": username, "password": dataset.PASSWORD, "csrf_token": token}
        else:
            form = {"username": username, "password": dataset.PASSWORD, "csrf_token": token}
        answer = self.http.post(self.url + "/auth/login", data=form, timeout=60)
        if answer.status_code != 200 or "logout" not in answer.text.lower():
            raise RuntimeError(f"{self.app}: sign-in as {username} failed ({answer.status_code})")

    def get(self, path: str) -> requests.Response:
        answer = self.http.get(self.url + path, timeout=60)
        answer.raise_for_status()
        return answer

    # the timed call ---------------------------------------------------------------------------------------

    def call(self) -> bool:
        """One timed call: True when the response is right; its request time is left in `elapsed`."""
        self.elapsed = 0.0
        try:
            ok = getattr(self, "_" + self.scenario.replace(" ", "_").replace("-", "_"))()
        except requests.RequestException as error:
            self.last_error = repr(error)
            return False
        if not ok:
            self.last_error = f"{self.scenario}: unexpected response"
        return ok

    def timed(self, method, url, **kwargs) -> requests.Response:
        """One request (with the redirects it leads to); its time is added to `elapsed`, the checks' is not."""
        started = time.perf_counter()
        try:
            return method(url, timeout=60, **kwargs)
        finally:
            self.elapsed += time.perf_counter() - started

    def _shows(self, path: str, *texts: str) -> bool:
        answer = self.timed(self.http.get, self.url + path)
        return answer.status_code == 200 and all(text in answer.text for text in texts)

    def _home(self) -> bool:
        return self._shows("/", "E-health")

    def _community(self) -> bool:
        forum_id = self.ids["forums"][dataset.BIG_TOPIC_FORUM] if self.app == "flaskbb" else None
        path = f"/forum/{forum_id}" if forum_id else f"/c/{dataset.BIG_TOPIC_FORUM}"
        return self._shows(path, self.expect.community_top)

    def _home_member(self) -> bool:
        return self._home()

    def _community_member(self) -> bool:
        return self._community()

    def _thread_member(self) -> bool:
        return self._thread_first()

    def _search_rare_member(self) -> bool:
        return self._search_rare()

    def _thread_first(self) -> bool:
        return self._shows(self.topic_url(0), self.expect.big_title)

    def _thread_last(self) -> bool:
        return self._shows(self.topic_url(0, self.expect.big_pages), self.expect.big_title)

    def _search(self, word: str) -> requests.Response:
        if self.app == "flaskbb":
            form = {"search_query": word, "search_types": "post", "csrf_token": self.token}
            return self.timed(self.http.post, self.url + "/search", data=form)
        return self.timed(self.http.get, self.url + "/search", params={"q": word})

    def _search_rare(self) -> bool:
        answer = self._search(dataset.RARE_WORD)
        if answer.status_code != 200:
            return False
        text = plain(answer.text)
        return all(phrase in text for phrase in self.expect.rare_phrases)

    def _search_common(self) -> bool:
        # Majlis shows 20 results a page, FlaskBB all of them; the word is also echoed in the page.
        answer = self._search(dataset.COMMON_WORD)
        return answer.status_code == 200 and answer.text.count(dataset.COMMON_WORD) >= 20

    def _reply(self) -> bool:
        marker = f"peerbench{self.slot}x{next(_replies)}"
        body = f"Reply {marker}: we should fund rural telecentres and train teachers in digital skills."
        topic = self.topic_id(self.reply_topic())
        if self.app == "flaskbb":
            path, form = f"/topic/{topic}/post/new", {"content": body}
        else:
            path, form = f"/t/{topic}", {"body": body, "parent_id": ""}
        answer = self.timed(self.http.post, self.url + path, data={**form, "csrf_token": self.token})
        return answer.status_code == 200 and marker in answer.text and len(answer.history) >= 1

    def _static_file(self) -> bool:
        path = "/static/fa-regular-400.woff" if self.app == "flaskbb" else "/static/css/majlis.css"
        answer = self.timed(self.http.get, self.url + path)
        return answer.status_code == 200 and len(answer.content) > 0

    def _sign_in_page(self) -> bool:
        return self._shows("/auth/login", 'name="password"')
