"""Search benchmark: Majlis's Whoosh backend against SQLite FTS5 on the same generated posts.

    .venv/bin/python bench/search.py [--posts 100000] [--queries 300] [--seed 7]

Generates N posts of about 80 words (mixed languages in realistic proportions, deterministic),
bulk-indexes them (`WhooshBackend.rebuild`: writer processes when the machine has several cores),
runs a fixed set of queries of seven kinds (frequent word, rare word, two words, phrase, filtered
by community, sorted by date, with highlighting of the 20 shown hits), and prints indexing docs/s,
index size, query median and p95 per kind, and the same for FTS5 (stdlib sqlite3), with the
Whoosh/FTS5 ratio. Each query counts all its matches, as a result page does. The CPU seconds of
the rebuild (this process and its writer processes) are printed too: on a shared machine they
say more than the wall-clock time.
"""

import argparse
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.search.backend import SearchFilters  # noqa: E402
from app.search.engines.whoosh.backend import WhooshBackend  # noqa: E402
from app.search.query import parse  # noqa: E402
from app.search.registry import SearchDocument  # noqa: E402
from app.search.snippets import Highlighter  # noqa: E402

LANGUAGE_SHARES = [("en", 0.50), ("fr", 0.15), ("es", 0.12), ("ar", 0.08), ("ru", 0.08), ("zh", 0.07)]
SEED_WORDS = {
    "en": "information society community consultation internet governance broadband access digital "
    "inclusion policy stakeholders development education health data privacy security network rural "
    "schools libraries content languages citizens government services infrastructure mobile skills "
    "women youth climate innovation research open standards participation transparency".split(),
    "fr": "société information communauté consultation internet gouvernance accès numérique inclusion "
    "politique acteurs développement éducation santé données sécurité réseau rurales écoles "
    "bibliothèques contenu langues citoyens gouvernement services infrastructures compétences".split(),
    "es": "sociedad información comunidad consulta internet gobernanza acceso digital inclusión política "
    "actores desarrollo educación salud datos privacidad seguridad red rurales escuelas bibliotecas "
    "contenido idiomas ciudadanos gobierno servicios infraestructura habilidades".split(),
    "ar": "مجتمع المعلومات المجتمعات مشاورة الإنترنت إدارة الوصول الرقمي الشمول سياسة التنمية التعليم "
    "الصحة البيانات الخصوصية الأمن الشبكة الريفية المدارس المكتبات المحتوى اللغات المواطنين الحكومة "
    "الخدمات البنية المهارات".split(),
    "ru": "общество информации сообщество консультации интернет управление доступ цифровой политика "
    "развитие образование здоровье данные безопасность сеть сельские школы библиотеки содержание "
    "языки граждане правительство услуги инфраструктура навыки".split(),
    "zh": "信息 社会 社区 咨询 互联网 治理 宽带 接入 数字 包容 政策 发展 教育 健康 数据 隐私 安全 网络 农村 "
    "学校 图书馆 内容 语言 公民 政府 服务 基础 设施 技能".split(),
}
LATIN = "bcdfghjklmnprstvz"
VOWELS = "aeiou"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
CYRILLIC = "бвгдзклмнпрстфхцчшщ"
CYRILLIC_VOWELS = "аеиоуыэюя"
HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 1500)]
COMMUNITIES = list(range(1, 21))
KINDS = ["word_frequent", "word_rare", "two_words", "phrase", "community", "newest", "highlight"]


def _pseudo_word(rng, language):
    if language == "ar":
        return "".join(rng.choice(ARABIC) for _ in range(rng.randint(3, 6)))
    if language == "ru":
        return "".join(rng.choice(CYRILLIC) + rng.choice(CYRILLIC_VOWELS) for _ in range(rng.randint(2, 4)))
    if language == "zh":
        return rng.choice(HAN) + rng.choice(HAN)
    return "".join(rng.choice(LATIN) + rng.choice(VOWELS) for _ in range(rng.randint(2, 4)))


def vocabularies(rng, size=6000):
    """Per language: the seed words first (so they are the most frequent), then pseudo-words."""
    vocab = {}
    for language, words in SEED_WORDS.items():
        extra = {_pseudo_word(rng, language) for _ in range(size)}
        vocab[language] = list(words) + sorted(extra - set(words))
    return vocab


def zipf_weights(count):
    return [1.0 / (rank + 1) ** 1.05 for rank in range(count)]


def generate(n, seed):
    """N (text, language, community, created_at) posts, deterministic for a seed."""
    rng = random.Random(seed)
    vocab = vocabularies(rng)
    cumulative = {language: list(_accumulate(zipf_weights(len(words)))) for language, words in vocab.items()}
    languages = [language for language, _ in LANGUAGE_SHARES]
    shares = [share for _, share in LANGUAGE_SHARES]
    start = datetime(2015, 1, 1)
    posts = []
    for index in range(n):
        language = rng.choices(languages, shares)[0]
        words = rng.choices(vocab[language], cum_weights=cumulative[language], k=rng.randint(70, 90))
        separator = "" if language == "zh" else " "
        if language == "zh":
            words = ["。" if rng.random() < 0.08 else word for word in words]
        text = separator.join(words)
        posts.append((text, language, rng.choice(COMMUNITIES), start + timedelta(minutes=index * 7)))
    return posts, vocab


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def make_queries(posts, vocab, count, seed):
    """A fixed list of (kind, query text, community or None) of `count` queries."""
    rng = random.Random(seed + 1)
    queries = []
    latin = ["en", "fr", "es"]
    for number in range(count):
        kind = KINDS[number % len(KINDS)]
        language = rng.choice(latin) if rng.random() < 0.7 else rng.choice(["ar", "ru", "zh"])
        words = vocab[language]
        community = None
        if kind == "word_frequent":
            text = rng.choice(words[:30])
        elif kind == "word_rare":
            text = rng.choice(words[2000:5000])
        elif kind == "two_words":
            text = f"{rng.choice(words[:200])} {rng.choice(words[:200])}"
        elif kind == "phrase":
            post = rng.choice([p for p in posts[:5000] if p[1] != "zh"])
            tokens = post[0].split()
            start = rng.randrange(len(tokens) - 2)
            text = '"' + " ".join(tokens[start : start + 2]) + '"'
        elif kind == "community":
            text = rng.choice(words[:100])
            community = rng.choice(COMMUNITIES)
        else:  # newest, highlight
            text = rng.choice(words[:100])
        queries.append((kind, text, community))
    return queries


def bench_whoosh(posts, queries, directory):
    backend = WhooshBackend(directory)

    def batches(size=1000):
        for start in range(0, len(posts), size):
            yield [
                SearchDocument(
                    type="post",
                    id=start + offset + 1,
                    title="",
                    text=text,
                    language=language,
                    community_ids=[community],
                    author_username=f"user{(start + offset) % 500}",
                    created_at=created,
                    url="/",
                )
                for offset, (text, language, community, created) in enumerate(posts[start : start + size])
            ]

    began, cpu = time.perf_counter(), _cpu_seconds()
    backend.rebuild(batches())
    index_seconds = time.perf_counter() - began
    print(
        f"Whoosh rebuild: {index_seconds:.1f} s, {_cpu_seconds() - cpu:.1f} CPU s ({backend.procs} writer processes)"
    )
    size = sum(f.stat().st_size for f in backend.current_path().iterdir())
    timings = {kind: [] for kind in KINDS}
    for kind, text, community in queries:
        parsed = parse(text)
        filters = SearchFilters(
            community_ids={community} if community else None,
            sort="newest" if kind == "newest" else "relevance",
        )
        began = time.perf_counter()
        ranked = backend.ranked(parsed, filters, limit=40)
        if kind == "highlight":
            highlighter = Highlighter(parsed.root)
            for hit in ranked.hits[:20]:
                post = posts[hit.id - 1]
                highlighter.snippet(post[0], post[1])
        timings[kind].append(time.perf_counter() - began)
    return index_seconds, size, timings


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished child processes (the rebuild's writers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _fts_query(text):
    if text.startswith('"'):
        return text
    return " ".join('"' + word.replace('"', "") + '"' for word in text.split())


def bench_fts5(posts, queries, directory):
    path = Path(directory) / "fts.db"
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE VIRTUAL TABLE posts USING fts5(body, community UNINDEXED, created UNINDEXED, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    began = time.perf_counter()
    with connection:
        connection.executemany(
            "INSERT INTO posts(rowid, body, community, created) VALUES (?, ?, ?, ?)",
            (
                (index + 1, text, community, created.isoformat())
                for index, (text, _, community, created) in enumerate(posts)
            ),
        )
    index_seconds = time.perf_counter() - began
    size = path.stat().st_size
    timings = {kind: [] for kind in KINDS}
    for kind, text, community in queries:
        match = _fts_query(text)
        began = time.perf_counter()
        where, params = "posts MATCH ?", [match]
        if community:
            where += " AND community = ?"
            params.append(community)
        order = "created DESC" if kind == "newest" else "rank"
        columns = "rowid, snippet(posts, 0, '<mark>', '</mark>', '…', 40)" if kind == "highlight" else "rowid"
        connection.execute(
            f"SELECT {columns} FROM posts WHERE {where} ORDER BY {order} LIMIT 40", params
        ).fetchall()
        connection.execute(f"SELECT count(*) FROM posts WHERE {where}", params).fetchone()
        timings[kind].append(time.perf_counter() - began)
    connection.close()
    return index_seconds, size, timings


def _ms(values, q):
    values = sorted(values)
    if q == 50:
        return statistics.median(values) * 1000
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] * 1000


def report(n, whoosh, fts):
    w_seconds, w_size, w_times = whoosh
    f_seconds, f_size, f_times = fts
    print(f"\nPosts: {n}")
    print(f"{'':22}{'Whoosh':>14}{'FTS5':>14}{'ratio':>9}")
    print(
        f"{'indexing docs/s':22}{n / w_seconds:>14,.0f}{n / f_seconds:>14,.0f}{f_seconds / w_seconds:>9.2f}"
    )
    print(f"{'indexing time s':22}{w_seconds:>14.1f}{f_seconds:>14.1f}")
    print(f"{'index size MB':22}{w_size / 1e6:>14.1f}{f_size / 1e6:>14.1f}{w_size / f_size:>9.2f}")
    print(
        f"\n{'query (ms)':22}{'W median':>10}{'W p95':>10}{'F median':>10}{'F p95':>10}{'med ×':>8}{'p95 ×':>8}"
    )
    everything_w, everything_f = [], []
    for kind in KINDS:
        everything_w += w_times[kind]
        everything_f += f_times[kind]
        _row(kind, w_times[kind], f_times[kind])
    _row("all", everything_w, everything_f)


def _row(label, whoosh, fts):
    wm, wp, fm, fp = _ms(whoosh, 50), _ms(whoosh, 95), _ms(fts, 50), _ms(fts, 95)
    print(f"{label:22}{wm:>10.1f}{wp:>10.1f}{fm:>10.2f}{fp:>10.2f}{wm / fm:>8.1f}{wp / fp:>8.1f}")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    posts, vocab = generate(args.posts, args.seed)
    queries = make_queries(posts, vocab, args.queries, args.seed)
    print(f"Generated {len(posts)} posts and {len(queries)} queries in {time.perf_counter() - began:.1f} s")
    with tempfile.TemporaryDirectory(prefix="majlis-bench-") as directory:
        whoosh = bench_whoosh(posts, queries, Path(directory) / "whoosh")
        fts = bench_fts5(posts, queries, directory)
    report(len(posts), whoosh, fts)


if __name__ == "__main__":
    main()
