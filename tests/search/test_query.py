"""The query language parser: every operator, every malformed query."""

from datetime import date

import pytest

from app.search.query import MAX_QUERY_LENGTH, And, Not, Or, Phrase, Word, parse


def messages(text):
    return [str(message) for message in parse(text).messages]


@pytest.mark.parametrize(
    ("text", "root"),
    [
        ("digital", Word("digital")),
        ("digital inclusion", And((Word("digital"), Word("inclusion")))),
        ('"information society"', Phrase("information society")),
        ("broadband OR satellite", Or((Word("broadband"), Word("satellite")))),
        ("rural broadband OR satellite", And((Word("rural"), Or((Word("broadband"), Word("satellite")))))),
        ("a1 OR b2 OR c3", Or((Word("a1"), Word("b2"), Word("c3")))),
        ("privacy -cookies", And((Word("privacy"), Not(Word("cookies"))))),
        ('privacy -"third party"', And((Word("privacy"), Not(Phrase("third party"))))),
        ("tele*", Word("tele", prefix=True)),
        ("信息社会", Word("信息社会")),
        ("or", Word("or")),  # lowercase "or" is a word
    ],
)
def test_operators(text, root):
    parsed = parse(text)
    assert parsed.root == root
    assert parsed.messages == [] or text == "or"


def test_filters():
    parsed = parse(
        "health author:@Amina community:C7 type:threads before:2017-02-20 after:2016-09-01 "
        "in:title status:Accepted thread:42"
    )
    assert parsed.root == Word("health")
    filters = parsed.filters
    assert filters.authors == ["amina"]
    assert filters.communities == ["c7"]
    assert filters.types == ["thread"]
    assert filters.before == date(2017, 2, 20)
    assert filters.after == date(2016, 9, 1)
    assert filters.in_title is True
    assert filters.statuses == ["accepted"]
    assert filters.threads == [42]
    assert parsed.messages == []


def test_quoted_filter_value():
    assert parse('author:"amina"').filters.authors == ["amina"]


def test_only_filters_is_a_query():
    parsed = parse("author:amina")
    assert parsed.root is None and not parsed.is_empty


def test_stop_words_are_not_required_next_to_other_words():
    assert parse("the information society").root == And((Word("information"), Word("society")))


@pytest.mark.parametrize(
    ("text", "expected_root", "message_part"),
    [
        ('"information society', Phrase("information society"), "quotation mark"),
        ("OR", None, "OR"),
        ("internet OR", Word("internet"), "OR"),
        ("OR internet", Word("internet"), "OR"),
        ("internet OR OR broadband", Or((Word("internet"), Word("broadband"))), "OR"),
        ("author:", None, "author:"),
        ("author: health", Word("health"), "author:"),
        ("community:", None, "community:"),
        ("type:poem", None, "Unknown type"),
        ("before:yesterday", None, "not a date"),
        ("after:2016-13-45", None, "not a date"),
        ("in:body", None, "in:title"),
        ("thread:abc", None, "thread number"),
        ("the of and", And((Word("the"), Word("of"), Word("and"))), "very common words"),
        ("the", Word("the"), "very common words"),
        ("health -type:post", Word("health"), "cannot be excluded"),
    ],
)
def test_malformed_queries_explain_themselves(text, expected_root, message_part):
    parsed = parse(text)
    assert parsed.root == expected_root
    assert any(message_part in str(message) for message in parsed.messages)


def test_ten_thousand_characters_are_cut():
    parsed = parse("word " * 2000)
    assert any("too long" in str(message) for message in parsed.messages)
    assert any("first 32 words" in str(message) for message in parsed.messages)
    assert len(parsed.root.nodes) == 32


def test_a_single_ten_thousand_character_word():
    parsed = parse("x" * 10_000)
    assert parsed.root == Word("x" * MAX_QUERY_LENGTH)


def test_control_characters_become_spaces():
    parsed = parse("digital\x00inclusion\x1b\u200b")
    assert parsed.root == And((Word("digital"), Word("inclusion")))


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "*", '""', "-", "- -"])
def test_nothing_to_search(text):
    parsed = parse(text)
    assert parsed.is_empty


def test_never_raises_on_odd_input():
    for text in ['"', '""" a', "a:b:c", '-"x', "OR OR OR", ":::", "a*b*", "((a))", 'author:"', "-*"]:
        parse(text)
