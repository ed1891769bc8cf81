"""The data set both forums are seeded with: deterministic (seeded RNG), standard library only.

Imported by the Majlis seeder (Python 3.11) and by the FlaskBB seeder (FlaskBB's own Python 3.13).
Bump VERSION whenever the output changes: the seeded databases are cached under PEER_HOME by it.

2,000 topics and 50,000 posts over the 18 leaf communities of the WSIS action lines; 5% of posts in
Arabic, 5% in Chinese written without spaces, the rest English. Topic 0 (in c7-e-health) has 200 posts.
RARE_WORD occurs in RARE_POSTS posts, COMMON_WORD in about 20% of posts. Replies answer the opening
post (35%) or an earlier reply (Majlis keeps the tree; FlaskBB, flat, ignores `parent`).
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

VERSION = 1
SEED = 20261205
TOPICS = 2_000
POSTS = 50_000
BIG_TOPIC_POSTS = 200
USERS = 48
PASSWORD = "peer-bench-password-1"
RARE_WORD = "zanzibarite"
COMMON_WORD = "multistakeholder"
RARE_POSTS = 3
COMMON_SHARE = 0.20
ARABIC_SHARE = 0.05
CHINESE_SHARE = 0.05
START = datetime(2025, 1, 6, 8, 0)

# (slug, title): the Majlis communities that hold threads, and FlaskBB's forums of the same name.
FORUMS = [
    ("c1", "C1 The role of governments and all stakeholders"),
    ("c2", "C2 Information and communication infrastructure"),
    ("c3", "C3 Access to information and knowledge"),
    ("c4", "C4 Capacity building"),
    ("c5", "C5 Building confidence and security in the use of ICTs"),
    ("c6", "C6 Enabling environment"),
    ("c8", "C8 Cultural diversity and identity, linguistic diversity and local content"),
    ("c9", "C9 Media"),
    ("c10", "C10 Ethical dimensions of the Information Society"),
    ("c11", "C11 International and regional cooperation"),
    ("c7-e-government", "C7 E-government"),
    ("c7-e-business", "C7 E-business"),
    ("c7-e-learning", "C7 E-learning"),
    ("c7-e-health", "C7 E-health"),
    ("c7-e-employment", "C7 E-employment"),
    ("c7-e-environment", "C7 E-environment"),
    ("c7-e-agriculture", "C7 E-agriculture"),
    ("c7-e-science", "C7 E-science"),
]
BIG_TOPIC_FORUM = "c7-e-health"

ENGLISH = (
    "access affordable agenda analysis archives bandwidth broadband budget capacity centres citizens "
    "climate clinics community connectivity content cooperation countries coverage culture data "
    "development devices digital disaster education elderly electricity enterprises equipment evidence "
    "farmers financing framework funding gender governance health heritage households implementation "
    "inclusion indicators information infrastructure innovation institutions internet investment "
    "journalists knowledge languages learning libraries licensing literacy local markets measurement "
    "media ministry mobile monitoring networks obligations online operators partnership payments "
    "platform policy privacy programme public radio regional regulation regulator reporting research "
    "resilience rural satellite schools security services skills spectrum standards statistics "
    "strategy students subsidies teachers telecentres telemedicine training transparency universal "
    "users villages vulnerable women workshop youth the the the of of and and to to in in for with on "
    "we our this that is are should could would must can more most many all new local national"
).split()
ARABIC = (
    "مجتمع المعلومات الاتصالات البنية التحتية النطاق العريض الريف المدارس الصحة التعليم الشباب "
    "المرأة الحكومة السياسات البيانات الخصوصية الأمن الثقافة اللغة المحتوى المحلي التعاون الإقليمي "
    "التنمية المستدامة الوصول الشبكات الهاتف المحمول المكتبات المعرفة المهارات الرقمية التمويل في من "
    "على إلى أن هذا هذه مع عن كل"
).split()
CHINESE = (
    "信息社会 宽带 农村 学校 医疗 教育 青年 妇女 政府 政策 数据 隐私 安全 文化 语言 本地内容 区域合作 "
    "可持续发展 接入 网络 移动电话 图书馆 知识 数字技能 资金 基础设施 电子政务 远程医疗 我们 应该 需要 "
    "提高 加强 推动 支持 建设 服务 社区 国家"
).split()
EMPHASIS = ["**{}**", "_{}_", "{}"]


@dataclass
class Post:
    number: int  # 1-based, in creation order over the whole data set (= the post's id in both forums)
    topic: int
    author: int  # index into users()
    parent: int | None  # number of the post answered (None for an opening post)
    language: str
    body: str
    created_at: datetime


@dataclass
class Topic:
    index: int
    forum: str
    author: int
    title: str
    language: str
    created_at: datetime
    posts: list[Post] = field(default_factory=list)


@dataclass
class DataSet:
    users: list[tuple[str, str]]  # (username, email)
    topics: list[Topic]
    posts: list[Post]  # in creation (id) order


def users() -> list[tuple[str, str]]:
    return [(f"member{n:02d}", f"member{n:02d}@example.org") for n in range(1, USERS + 1)]


def _language(rng: random.Random) -> str:
    roll = rng.random()
    if roll < ARABIC_SHARE:
        return "ar"
    if roll < ARABIC_SHARE + CHINESE_SHARE:
        return "zh"
    return "en"


def _sentence(rng: random.Random, language: str, words: int) -> str:
    if language == "ar":
        return " ".join(rng.choice(ARABIC) for _ in range(words)) + "."
    if language == "zh":
        return "".join(rng.choice(CHINESE) for _ in range(max(3, words // 2))) + "。"
    chosen = [rng.choice(ENGLISH) for _ in range(words)]
    chosen[rng.randrange(len(chosen))] = rng.choice(EMPHASIS).format(rng.choice(ENGLISH))
    return " ".join(chosen).capitalize() + "."


def _body(rng: random.Random, language: str) -> str:
    paragraphs = []
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        sentences = [_sentence(rng, language, rng.randint(6, 18)) for _ in range(rng.randint(1, 4))]
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def _title(rng: random.Random, language: str, index: int) -> str:
    if language == "ar":
        words = " ".join(rng.choice(ARABIC) for _ in range(rng.randint(3, 7)))
    elif language == "zh":
        words = "".join(rng.choice(CHINESE) for _ in range(rng.randint(3, 6)))
    else:
        words = " ".join(rng.choice(ENGLISH) for _ in range(rng.randint(4, 8))).capitalize()
    return f"{words} ({index + 1})"


def _topic_sizes(rng: random.Random) -> list[int]:
    """Posts per topic: topic 0 has BIG_TOPIC_POSTS, the rest share the remainder (at least one each)."""
    sizes = [BIG_TOPIC_POSTS] + [1] * (TOPICS - 1)
    for _ in range(POSTS - sum(sizes)):
        sizes[rng.randrange(1, TOPICS)] += 1
    return sizes


def _insert_word(rng: random.Random, body: str, word: str) -> str:
    words = body.split(" ")
    words.insert(rng.randrange(len(words) + 1), word)
    return " ".join(words)


def generate() -> DataSet:
    rng = random.Random(SEED)
    people = users()
    sizes = _topic_sizes(rng)
    topics, pending = [], []  # pending: (time, topic index, position in topic)
    span = timedelta(days=300)
    for index in range(TOPICS):
        created = START + span * index / TOPICS
        forum = BIG_TOPIC_FORUM if index == 0 else FORUMS[rng.randrange(len(FORUMS))][0]
        language = "en" if index < 2 else _language(rng)
        topics.append(
            Topic(index, forum, rng.randrange(USERS), _title(rng, language, index), language, created)
        )
        moments = sorted(
            created + timedelta(minutes=rng.uniform(1, 60 * 24 * 40)) for _ in range(sizes[index] - 1)
        )
        pending.append((created, index, 0))
        pending.extend((moment, index, position) for position, moment in enumerate(moments, start=1))
    pending.sort()
    posts = []
    for number, (moment, index, position) in enumerate(pending, start=1):
        topic = topics[index]
        opening = position == 0
        language = topic.language if opening else _language(rng)
        if opening:
            parent, author = None, topic.author
        else:
            earlier = topic.posts
            parent = earlier[0].number if rng.random() < 0.35 else rng.choice(earlier).number
            author = rng.randrange(USERS)
        post = Post(
            number, index, author, parent, language, _body(rng, language), moment.replace(microsecond=0)
        )
        topic.posts.append(post)
        posts.append(post)
    for post in posts:
        if rng.random() < COMMON_SHARE:
            post.body = _insert_word(rng, post.body, COMMON_WORD)
    for post in rare_posts(posts):
        post.body = _insert_word(rng, post.body, RARE_WORD)
    return DataSet(people, topics, posts)


def rare_posts(posts: list[Post]) -> list[Post]:
    """The posts that get RARE_WORD: English replies spread through the data set (not in topic 0)."""
    english = [
        post for post in posts if post.language == "en" and post.parent is not None and post.topic != 0
    ]
    step = len(english) // (RARE_POSTS + 1)
    return [english[step * (n + 1)] for n in range(RARE_POSTS)]


def rare_topic_titles(data: DataSet) -> list[str]:
    """Titles of the topics holding RARE_WORD: a search for it must list them."""
    return [data.topics[post.topic].title for post in data.posts if RARE_WORD in post.body]


def reply_topics(data: DataSet, count: int = 40) -> list[int]:
    """Indexes of English topics the reply scenario writes to: not the 200-post one, nor any in its
    forum (a reply moves its topic to the top of the forum page, which the community scenario checks)."""
    return [
        topic.index for topic in data.topics[2:] if topic.language == "en" and topic.forum != BIG_TOPIC_FORUM
    ][:count]


if __name__ == "__main__":
    import time

    started = time.perf_counter()
    data = generate()
    elapsed = time.perf_counter() - started
    languages = {code: sum(post.language == code for post in data.posts) for code in ("en", "ar", "zh")}
    common = sum(COMMON_WORD in post.body for post in data.posts)
    print(f"{len(data.topics)} topics, {len(data.posts)} posts in {elapsed:.1f}s; languages {languages}")
    print(f"{RARE_WORD}: {sum(RARE_WORD in p.body for p in data.posts)} posts; {COMMON_WORD}: {common}")
    print(f"topic 0: {len(data.topics[0].posts)} posts; rare topics {rare_topic_titles(data)}")
    print(data.posts[5].body)
