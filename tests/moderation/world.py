"""A small forum built in one transaction, for permission tables (fast: no scrypt, one commit)."""

from datetime import timedelta

from werkzeug.security import generate_password_hash

from app.auth.models import User
from app.communities.models import Community, CommunityModerator
from app.core.time import utcnow
from app.discussions import services as discussions
from app.extensions import db
from app.moderation import services as moderation

PASSWORD = "correct horse battery"
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
ROLES = ("anonymous", "member", "author", "other_moderator", "moderator", "admin")


def _community(slug):
    return db.session.execute(db.select(Community).filter_by(slug=slug)).scalar_one()


def build_world(app) -> dict:
    """Users for every role, threads and posts in c7-e-health (moderated through its parent c7)."""
    with app.app_context():
        names = ROLES[1:] + ("reporter", "silenced", "suspended", "pending")
        users = {
            name: User(username=name, email=f"{name}@example.org", password_hash=_HASH) for name in names
        }
        users["admin"].is_admin = True
        users["silenced"].silenced_until = utcnow() + timedelta(days=1)
        users["suspended"].suspended_until = utcnow() + timedelta(days=1)
        users["pending"].approval = "pending"
        db.session.add_all(users.values())
        db.session.flush()
        health = _community("c7-e-health")
        db.session.add(CommunityModerator(community_id=_community("c7").id, user_id=users["moderator"].id))
        db.session.add(
            CommunityModerator(community_id=_community("c1").id, user_id=users["other_moderator"].id)
        )
        db.session.flush()
        author = users["author"]
        thread = discussions.start_thread(
            health, author, "Telemedicine in rural clinics", "Opening post body"
        )
        reply = discussions.reply(thread, author, "A reply worth reporting")
        hidden = discussions.reply(thread, author, "A hidden reply")
        hidden.hidden_at = utcnow()
        other = discussions.start_thread(health, author, "Another thread to merge into", "Other body")
        flagged = discussions.start_thread(health, author, "A locked and pinned thread", "Flag body")
        flagged.locked = flagged.pinned = True
        hidden_thread = discussions.start_thread(health, author, "A hidden thread", "Hidden body")
        hidden_thread.hidden_at = utcnow()
        reported = discussions.reply(thread, author, "A reply somebody reported")
        moderation.report(users["reporter"], reported, "spam")
        health.approve_new_posts = True
        held = discussions.reply(thread, users["member"], "A reply awaiting approval")
        health.approve_new_posts = False
        db.session.flush()
        from app.moderation.models import ReviewItem

        item = db.session.execute(db.select(ReviewItem).filter_by(held=False)).scalar_one()
        held_item = db.session.execute(db.select(ReviewItem).filter_by(held=True)).scalar_one()
        world = {name: user for name, user in users.items()}
        world.update(
            thread=thread.id,
            reply=reply.id,
            hidden=hidden.id,
            other=other.id,
            flagged=flagged.id,
            hidden_thread=hidden_thread.id,
            item=item.id,
            held=held.id,
            held_item=held_item.id,
        )
        ids = {key: (value.id if isinstance(value, User) else value) for key, value in world.items()}
        db.session.commit()
        return ids


def login_as(client, app, role, world) -> None:
    if role == "anonymous":
        return
    with app.app_context():
        user = db.session.get(User, world[role])
        session_id = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
