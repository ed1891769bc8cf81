"""Multilingual relevance: the real analyzer and a real index (Whoosh, PostgreSQL), exact expected result sets."""

from contextlib import ExitStack
from datetime import datetime

import pytest

from app.search.backend import SearchFilters
from app.search.engines.whoosh.backend import WhooshBackend
from app.search.query import parse
from app.search.registry import SearchDocument
from tests.search.backends import BACKENDS, postgres_search_app
from tests.search.corpus import CORPUS, doc_id


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, tmp_path_factory):
    with ExitStack() as stack:
        if request.param == "postgres":
            app = stack.enter_context(postgres_search_app(tmp_path_factory.mktemp("relevance-pg")))
            stack.enter_context(app.app_context())
            backend = app.extensions["majlis_search"].backend
        else:
            backend = WhooshBackend(tmp_path_factory.mktemp("relevance-index"))
        backend.rebuild([corpus_documents()])
        yield backend


def corpus_documents():
    documents = [
        SearchDocument(
            type="post",
            id=doc_id(language, number),
            title="",
            text=text,
            language=language,
            community_ids=[1],
            author_username="author",
            created_at=datetime(2016, 1, 1),
            url="/",
        )
        for language, texts in CORPUS.items()
        for number, text in enumerate(texts, start=1)
    ]
    assert len(documents) == 60
    return documents


def found(backend, text: str) -> set[int]:
    ranked = backend.ranked(parse(text), SearchFilters(), limit=100)
    return {hit.id for hit in ranked.hits}


CASES = [
    # Arabic: diacritics, tatweel, alef/ya/ta marbuta variants, article and prefixes, suffixes
    ("ar: no diacritics", "المجتمعات", {1, 2}),
    ("ar: with diacritics", "المُجْتَمَعَات", {1, 2}),
    ("ar: one diacritic pasted", "مجتمَع", {1, 2}),
    ("ar: tatweel in the document", "التعليم", {7}),
    ("ar: tatweel in the query", "تعليـــم", {7}),
    ("ar: alef with hamza below", "الإنترنت", {3, 9}),
    ("ar: bare alef", "انترنت", {3, 9}),
    ("ar: alef with hamza above", "الأمن", {6}),
    ("ar: bare alef for hamza", "الامن", {6}),
    ("ar: ya for alef maqsura", "علي", {9}),
    ("ar: ha for ta marbuta", "مكتبه", {5}),
    ("ar: ta marbuta", "مكتبة", {5}),
    ("ar: plural suffix and article", "مشاورة", {2, 8}),
    ("ar: prefix bi+al", "المعلومات", {1, 10}),
    ("ar: suffix -at", "بيانات", {6}),
    ("ar: phrase", '"مجتمع المعلومات"', {1}),
    # Chinese: words of two or more characters inside unspaced sentences
    ("zh: four characters", "信息社会", {11, 19}),
    ("zh: three characters", "互联网", {12, 20}),
    ("zh: two characters", "社区", {12, 20}),
    ("zh: two characters, two hits", "数字", {11, 16}),
    ("zh: mid-sentence word", "咨询", {13}),
    ("zh: word at the end", "发展", {11, 16}),
    ("zh: compound", "远程医疗", {15}),
    ("zh: not across a gap", "社会发展", set()),
    # English: plurals and inflections
    ("en: plural finds singular", "communities", {21, 22}),
    ("en: singular finds plural", "village", {25}),
    ("en: inflection", "run", {30}),
    ("en: phrase", '"personal data"', {27}),
    ("en: exclusion (es datos shares the stem)", "data -personal", {28, 46}),
    ("en: OR (es telemedicina shares the stem)", "broadband OR telemedicine", {24, 25, 47}),
    # French: plurals, inflections, without accents
    ("fr: without accents", "societe", {31}),
    ("fr: plural without accents", "donnees", {33, 36}),
    ("fr: accents kept", "données", {33, 36}),
    ("fr: accès without accent (and es acceso)", "acces", {34, 37, 43}),
    ("fr: élèves without accents", "eleve", {35}),
    ("fr: inflected verb (and es participaron)", "participer", {38, 42}),
    ("fr: télémédecine without accents", "telemedecine", {40}),
    ("fr: phrase with elision", '"société de l\'information"', {31}),
    # Spanish: plurals, without accents
    ("es: without accent", "informacion", {41}),
    ("es: plural", "comunidad", {42, 47}),
    ("es: jóvenes without accent", "jovenes", {44}),
    ("es: educación without accent", "educacion", {45}),
    ("es: plural data", "dato", {46, 48}),
    ("es: políticas without accent", "politica", {41}),
    # Russian: inflections and ё/е
    ("ru: inflection", "общества", {51, 58}),
    ("ru: е for ё", "еще", {54}),
    ("ru: ё kept", "ещё", {54}),
    ("ru: е for ё in a verb", "растет", {58}),
    ("ru: case endings", "консультации", {53, 59}),
    ("ru: plural to locative", "сообщество", {52, 59}),
    ("ru: adjective forms", "цифровой", {52, 58}),
    # Across languages and operators
    ("cross: same stem in en and fr", "consultation", {22, 23, 32, 38}),
    ("prefix across languages", "consult*", {22, 23, 32, 38, 42}),
    ("prefix that is a whole word", "consultations*", {22, 23, 32, 38}),
    ("ar: prefix after the article", "المعلوم*", {1, 10}),
    ("ru: prefix", "консульт*", {53, 59}),
    ("zh: one character as a prefix", "信*", {11, 19}),
    ("OR across scripts", "telemedicine OR 远程医疗", {25, 15, 47}),
    ("all words required", "internet governance", {23}),
    ("all words required, fr", "internet gouvernance", {38}),
    # Quoted: the exact form (diacritics, letter variants, accents and case still normalised)
    ("ar: quoted word is that form", '"المشاورة"', {2}),
    ("ar: quoted, diacritics", '"المُشاوَرة"', {2}),
    ("ar: quoted, ha for ta marbuta", '"المشاوره"', {2}),
    ("ar: quoted, hamza below to bare alef", '"الانترنت"', {3, 9}),
    ("ar: quoted needs the article", '"مشاورة"', set()),
    ("ar: quoted phrase", '"مجتمع المعلومات"', {1}),
    ("en: quoted plural", '"communities"', {22}),
    ("en: quoted singular", '"community"', {21}),
    ("en: quoted, any case", '"COMMUNITIES"', {22}),
    ("en: quoted inflection", '"running"', {30}),
    ("en: quoted base form", '"run"', set()),
    ("fr: quoted, accents folded", '"donnees"', {33, 36}),
    ("fr: quoted singular", '"donnee"', set()),
    ("fr: quoted phrase", '"données personnelles"', {36}),
    ("fr: quoted phrase, other forms", '"donnée personnelle"', set()),
    ("es: quoted plural", '"comunidades"', {42, 47}),
    ("es: quoted singular", '"comunidad"', set()),
    ("ru: quoted case form", '"обществе"', {58}),
    ("ru: quoted, е for ё", '"растет"', {58}),
    ("zh: quoted word", '"互联网"', {12, 20}),
    ("zh: quoted character", '"信"', {11, 19}),
    ("quoted and unquoted", '"communities" consultation', {22}),
    ("quoted, excluded: only that form", 'data -"personal"', {28, 46, 48}),
]


@pytest.mark.parametrize(("label", "query", "expected"), CASES, ids=[case[0] for case in CASES])
def test_query_finds_exactly(backend, label, query, expected):
    assert found(backend, query) == expected


RANKINGS = [
    ("en: plural typed", "communities", [22, 21]),
    ("en: singular typed", "community", [21, 22]),
    ("ar: with the article", "المشاورة", [2, 8]),
    ("ar: plural typed", "المشاورات", [8, 2]),
    ("ru: one case typed", "обществе", [58, 51]),
]


@pytest.mark.parametrize(("label", "query", "expected"), RANKINGS, ids=[case[0] for case in RANKINGS])
def test_unquoted_word_ranks_its_exact_form_first(backend, label, query, expected):
    """Unquoted words are stemmed, and the documents holding the typed form come first."""
    ranked = backend.ranked(parse(query), SearchFilters(), limit=100)
    assert [hit.id for hit in ranked.hits] == expected


def test_the_set_is_large_enough():
    assert len(CASES) >= 40
    assert sum(len(texts) for texts in CORPUS.values()) >= 60
