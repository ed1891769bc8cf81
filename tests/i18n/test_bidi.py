"""Names, titles and numbers from users are isolated from the sentence around them."""

from types import SimpleNamespace

from flask import render_template

from tests.support.pages import select


def describe(app, language, **data):
    actor = SimpleNamespace(name=data.pop("who"))
    notification = SimpleNamespace(kind=data.pop("kind"), actor=actor, data=data)
    with app.test_request_context(headers={"Accept-Language": language}):
        return render_template("notifications/_describe.html", n=notification)


def test_notification_isolates_the_name_and_title(app):
    html = describe(app, "en", kind="reply", who="أمينة", thread_title="الطب عن بعد")
    assert html == "<bdi>أمينة</bdi> replied to your post in “<bdi>الطب عن بعد</bdi>”"


def test_isolated_names_are_still_escaped(app):
    html = describe(app, "fr", kind="new_thread", who="<b>x</b>", thread_title="<i>t</i>", community="C2")
    assert "<b>" not in html and "<i>" not in html
    assert "<bdi>&lt;b&gt;x&lt;/b&gt;</bdi>" in html


def test_post_author_and_body_are_isolated(client, make):
    author = make.user(display_name="أمينة الحداد")
    thread = make.thread(author=author, title="Telemedicine")
    html = client.get(f"/t/{thread.id}", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "<bdi>أمينة الحداد</bdi>" in html
    assert ("auto", "Telemedicine") in [(h1.get("dir"), h1.text) for h1 in select(html, "h1")]
    assert 'class="body" lang="' in html and 'dir="auto"' in html
