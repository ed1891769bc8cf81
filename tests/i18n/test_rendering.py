"""Key pages in every language: the right lang/dir, and no English left in the interface."""

import re

import pytest

from app.core.languages import LANGUAGE_NAMES
from tests.i18n.catalogs import load_catalog
from tests.i18n.pages import html_attributes, visible_text

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
DIRECTIONS = {"en": "ltr", "ar": "rtl", "zh": "ltr", "fr": "ltr", "ru": "ltr", "es": "ltr"}
KEY_PAGES = ["home", "community", "thread", "sign-in"]


@pytest.fixture
def page_urls(make):
    author = make.user(username="amina", display_name="Amina Diallo")
    thread = make.thread(author=author)
    make.reply(thread, parent=make.opening_post(thread))
    return {
        "home": "/",
        "community": "/c/c7-e-health",
        "thread": f"/t/{thread.id}",
        "sign-in": "/auth/login",
    }


def english_phrases(language: str) -> dict[str, str]:
    """English interface phrases (no placeholders, 4+ letters) whose translation differs.

    A phrase that is also a word of the language ("Comment" in French) cannot tell a leak, nor can a
    language's own name in a language menu ("English"): both are left out.
    """
    messages = [m for m in load_catalog(language) if m.id and not isinstance(m.id, tuple)]
    translations = " ".join(m.string for m in messages)
    phrases = {}
    for message in messages:
        if PLACEHOLDER.search(message.id) or message.string == message.id:
            continue
        if message.id in LANGUAGE_NAMES.values():
            continue
        if len(re.sub(r"\W", "", message.id)) >= 4 and not leaked_english(translations, [message.id]):
            phrases[message.id] = message.string
    return phrases


def leaked_english(text: str, phrases) -> list[str]:
    return [english for english in phrases if re.search(rf"(?<!\w){re.escape(english)}(?!\w)", text)]


@pytest.mark.parametrize("language", sorted(DIRECTIONS))
@pytest.mark.parametrize("page", KEY_PAGES)
def test_page_sets_lang_and_dir(client, page_urls, page, language):
    response = client.get(page_urls[page], headers={"Accept-Language": language})
    assert response.status_code == 200
    attributes = html_attributes(response.get_data(as_text=True))
    assert attributes == {"lang": language, "dir": DIRECTIONS[language], "data-theme": "auto"}


@pytest.mark.parametrize("language", ["ar", "zh", "fr", "ru", "es"])
@pytest.mark.parametrize("page", KEY_PAGES)
def test_page_has_no_english_left(client, page_urls, page, language):
    phrases = english_phrases(language)
    response = client.get(page_urls[page], headers={"Accept-Language": language})
    text = visible_text(response.get_data(as_text=True))
    assert phrases["Communities"] in text
    assert leaked_english(text, phrases) == []


def test_the_leak_check_sees_english():
    phrases = english_phrases("fr")
    assert leaked_english("Bonjour · Sign in · Communautés", phrases) == ["Sign in"]


def test_signed_in_pages_are_translated(client, auth, make):
    """Pages only a member sees (settings, notifications, new thread) are translated too."""
    auth.login(make.user(locale="ru"))
    phrases = english_phrases("ru")
    for url in ("/settings", "/notifications", "/c/c7-e-health/new"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_attributes(response.get_data(as_text=True))["lang"] == "ru"
        assert leaked_english(visible_text(response.get_data(as_text=True)), phrases) == [], url
