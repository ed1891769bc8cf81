"""A database full of content, and a comparable snapshot of every row of it."""

import json

from app.discussions import services as discussions
from app.discussions.models import Post
from app.extensions import db
from app.moderation.services import content as moderation
from app.portability.services import export_lines

TEXTS = [
    "Rural clinics need **reliable** links. ✓",
    "العيادات الريفية تحتاج إلى اتصال موثوق",
    "农村诊所需要可靠的网络连接",
    "Les cliniques rurales ont besoin de liens fiables — été",
    "Сельским клиникам нужна надёжная связь",
]


def populate(app, make) -> None:
    """The demo consultations plus threads with a reply tree, an edit, a hidden post and follows."""
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    moderator = make.moderator("c7-e-health")
    for number, text in enumerate(TEXTS):
        thread = make.thread(title=f"Thread {number}: {text[:20]}", body=text)
        parent = None
        for depth in range(3):
            parent = make.reply(thread, parent=parent, body=f"{text} (reply {depth})")
    with app.app_context():
        posts = db.session.execute(db.select(Post).order_by(Post.id.desc()).limit(3)).scalars().all()
        discussions.edit_post(posts[0], posts[0].author, posts[0].body_source + " (edited)", reason="typo")
        moderation.hide_post(posts[1], db.session.merge(moderator), "off topic")
        discussions.follow_thread(posts[2].thread, posts[2].author)
        db.session.commit()


def snapshot(app, with_passwords: bool = True) -> dict[str, list[dict]]:
    """Every row of every table, as exported (the header's time and revision left out)."""
    with app.app_context():
        lines = [json.loads(line) for line in export_lines(with_passwords=with_passwords)]
    tables: dict[str, list[dict]] = {name: [] for name in lines[-1]["counts"]}
    for item in lines[1:-1]:
        tables[item["table"]].append(item["row"])
    return tables
