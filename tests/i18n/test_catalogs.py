"""Every catalog is complete, current, and really translated."""

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from tests.i18n.catalogs import EXPECTED_PLURALS, LANGUAGES, ROOT, load_catalog

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}

# Words that are spelt the same in English and in the target language (true cognates, codes).
SAME_AS_ENGLISH = {
    "fr": {
        "Majlis",
        "Organisation",
        "Description",
        "Format",
        "format",
        "Phase",
        "Phases",
        "Introduction",
        "Expertise",
        "Europe",
        "National",
        "Action",
        "Contribution",
        "Contributions",
        "Consultations",
        "Consultation",
        "Message",
        "Notifications",
        "Pages",
        "Spam",
        "Version %(number)d",
        "Dates",
        "Type",
        "%(num)d minutes",
        "1 minute",
        "5 minutes",
        "15 minutes",
        "%(num)d phase",
        "%(num)d page",
        "Document",
        "Page %(page)d",
        "Page",
        "Versions",
        "New York",
        "Nairobi",
    },
    "es": {"Majlis", "Error %(status)s", "Regional", "Panel", "No", "Spam", "Nairobi"},
    "ru": {"Majlis"},
    "zh": {"Majlis"},
    "ar": set(),
}


def _messages(language):
    return [message for message in load_catalog(language) if message.id]


def _forms(message):
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _english(message):
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _extracted_msgids():
    with open(ROOT / "babel.cfg") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else message[0]
        if key:
            found.add((context, key))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_untranslated_or_fuzzy_entries(language):
    problems = []
    for message in _messages(language):
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(_forms(message)):
            problems.append(f"untranslated: {message.id!r}")
    assert not problems, f"{language}: " + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_left(language):
    """A msgstr equal to its English msgid is a forgotten translation, unless it is a true cognate."""
    allowed = SAME_AS_ENGLISH[language]
    problems = []
    for message in _messages(language):
        for english, translated in zip(_english(message), _forms(message), strict=False):
            plain = PLACEHOLDER.sub("", english).strip()
            if translated == english and len(plain) > 3 and english not in allowed:
                problems.append(english)
    assert not problems, f"{language}: still English: {problems}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    problems = []
    for message in _messages(language):
        english = set(PLACEHOLDER.findall(" ".join(_english(message))))
        for form in _forms(message):
            if not set(PLACEHOLDER.findall(form)) <= english:
                problems.append(f"{message.id!r} -> {form!r}")
        if not isinstance(message.id, tuple) and set(PLACEHOLDER.findall(message.string)) != english:
            problems.append(f"{message.id!r} -> {message.string!r}")
    assert not problems, f"{language}: placeholders differ: " + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_match_the_language(language):
    catalog = load_catalog(language)
    if language in EXPECTED_PLURALS:
        assert catalog.num_plurals == EXPECTED_PLURALS[language]
    for message in _messages(language):
        if isinstance(message.id, tuple):
            assert len(message.string) == catalog.num_plurals, message.id


def test_every_message_in_the_code_is_in_every_catalog():
    """A string wrapped in the code but missing from a catalog would show in English: re-extract."""
    extracted = _extracted_msgids()
    for language in LANGUAGES:
        known = {(message.context, _english(message)[0]) for message in _messages(language)}
        missing = sorted(key for _context, key in extracted - known)
        assert not missing, (
            f"{language} lacks {len(missing)} message(s); run the extraction and update "
            f"commands and translate them: {missing[:20]}"
        )
