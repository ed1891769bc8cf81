"""The one way tests make data: factory functions that go through the app's own services.

Every function builds in the current session and flushes (call it inside an app context, as service
tests do through the `build` fixture or `setup_data(app)`). The `make` fixture offers the same functions,
each call in a context of its own, committed: for tests that then use the HTTP client. Models passed to
`make.*` are read again by id in that context, so they may come from an earlier call or request.

States a moderator or a workflow gives (hidden, held, locked, moved, accepted...) are reached by calling
the real services (app/moderation/services, app/discussions/services, app/consultation/services), never by
setting columns, so audit rows, notices, the search index and live events follow as in production.
`by=None` means the system acted (as after enough reports); pass a moderator where the actor matters.
"""

import functools
import itertools
import sys
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy

from app.auth import services as accounts
from app.auth.models import User
from app.communities import services as communities
from app.communities.models import Community
from app.consultation import services as consultations
from app.consultation.models import Role
from app.consultation.timezones import to_utc
from app.core.time import utcnow
from app.discussions import services as discussions
from app.discussions.models import Post, Thread
from app.extensions import db
from app.files import services as files
from app.moderation import services as moderation
from app.moderation.models import ReviewItem

PASSWORD = "correct horse battery"
GENEVA = "Europe/Zurich"
DEADLINE_LOCAL = datetime(2017, 2, 20, 23, 59)
DEADLINE_UTC = datetime(2017, 2, 20, 22, 59)  # CET is UTC+1
BEFORE = datetime(2017, 2, 10, 12, 0)  # naive UTC, submissions open
AFTER = datetime(2017, 2, 25, 12, 0)  # naive UTC, deadline passed
_numbers = itertools.count(1)

SPEAKERS = [
    {"name": "Amina Diallo", "organisation": "Ministry of Health", "stakeholder_type": "government"},
    {"name": "Jon Berg", "organisation": "Nordic Telehealth", "stakeholder_type": "private_sector"},
    {"name": "Priya Nair", "organisation": "Health Access", "stakeholder_type": "civil_society"},
]
DETAILS = {
    "thematic": {},
    "format": {},
    "workshop": {
        "format": "roundtable", "duration": 90, "policy_questions": "How to reach rural clinics?",
        "languages": ["en", "fr"], "remote_participation": "Video bridge", "speakers": SPEAKERS,
        "binding_commitment": True,
    },
    "nomination": {
        "nominee": "Maria Lopes", "organisation": "Conecta", "stakeholder_type": "private_sector",
        "region": "americas", "bio": "Leads inclusion work.", "nominee_consent": True,
    },
    "event_input": {
        "event_name": "Arab Regional Review", "level": "regional", "country_region": "Arab States",
        "event_start": "2017-01-16", "event_end": "2017-01-17", "outcome": "Arabic content first.",
    },
}  # fmt: skip


# People -------------------------------------------------------------------------------------------


def user(username=None, password=PASSWORD, **fields) -> User:
    """A member, registered as the sign-up form does (`approval="pending"`: awaiting an admin)."""
    number = next(_numbers)
    username = username or f"user{number}"
    email = fields.pop("email", None) or f"{username}@example.org"
    pending = fields.pop("approval", "approved") == "pending"
    confirmed = fields.pop("confirmed", True)
    fields.setdefault("organisation", f"Org {number}")
    fields.setdefault("stakeholder_type", "civil_society")
    fields.setdefault("country", "Ghana")
    return accounts.register(username, email, password, needs_approval=pending, confirmed=confirmed, **fields)


def admin(username=None, **fields) -> User:
    return user(username, is_admin=True, **fields)


def moderator(community="c7-e-health", username=None) -> User:
    """A member who moderates `community` (a slug or a Community) and its sub-communities."""
    person = user(username)
    communities.grant_moderator(_community(community), person, actor=None)
    return person


def member_of(community, person) -> None:
    """Let `person` into a restricted `community`."""
    communities.add_member(_community(community), person, actor=None)


def silenced(person, by=None, days=1) -> User:
    moderation.silence(person, by, utcnow() + timedelta(days=days), "Cooling off.")
    return person


def suspended(person, by=None, days=1) -> User:
    moderation.suspend(person, by, utcnow() + timedelta(days=days), "Time out.")
    return person


# Communities ----------------------------------------------------------------------------------------


def community(slug="c7-e-health") -> Community:
    """One of the seeded communities."""
    return db.session.execute(db.select(Community).filter_by(slug=slug)).scalar_one()


def _community(community_or_slug) -> Community:
    return community(community_or_slug) if isinstance(community_or_slug, str) else community_or_slug


def restricted_community(slug="closed-room") -> Community:
    """A community only its members (and moderators and admins) can read."""
    row = Community(slug=slug, code="X1", name="Closed room", restricted=True, position=999)
    db.session.add(row)
    db.session.flush()
    return row


# Discussions ----------------------------------------------------------------------------------------


def thread(
    community="c7-e-health",
    author=None,
    title="Telemedicine in rural clinics",
    body="How do we connect rural clinics?",
) -> Thread:
    """A thread started in `community` (a slug or a Community)."""
    return discussions.start_thread(_community(community), author or user(), title, body)


def reply(thread, author=None, parent=None, body="I agree with this point.") -> Post:
    """A reply (held for review when the community holds new posts)."""
    return discussions.reply(thread, author or user(), body, parent=parent)


def opening_post(thread) -> Post:
    return discussions.opening_post(thread)


@contextmanager
def _holding_new_posts(community, by):
    """While inside, `community` holds members' new threads and replies for a moderator's approval."""
    moderation.set_post_approval(community, by, True)
    yield
    moderation.set_post_approval(community, by, False)


def held_reply(thread, author=None, body="A reply awaiting approval", by=None) -> Post:
    """A reply in the review queue: posted while the community held new posts for approval."""
    with _holding_new_posts(thread.community, by):
        return reply(thread, author, body=body)


def held_thread(
    community="c7-e-health", author=None, title="A thread awaiting approval", body="Held", by=None
):
    """A thread in the review queue: started while the community held new posts for approval."""
    with _holding_new_posts(_community(community), by):
        return thread(community, author, title, body)


def hidden(target, by=None, reason="Off topic.") -> Post | Thread:
    """A post or thread hidden by a moderator (`by`), or by the system."""
    (moderation.hide_thread if isinstance(target, Thread) else moderation.hide_post)(target, by, reason)
    return target


def restored(target, by=None, reason="On reflection, fine.") -> Post | Thread:
    """A hidden post or thread shown again."""
    (moderation.restore_thread if isinstance(target, Thread) else moderation.restore_post)(target, by, reason)
    return target


def locked(thread, by=None) -> Thread:
    moderation.lock_thread(thread, by)
    return thread


def pinned(thread, by=None) -> Thread:
    moderation.pin_thread(thread, by)
    return thread


def moved(thread, community, by=None) -> Thread:
    moderation.move_thread(thread, by, _community(community), "Belongs there.")
    return thread


def retitled(thread, title, by=None) -> Thread:
    moderation.retitle_thread(thread, by, title)
    return thread


def deleted(post, by=None) -> Post:
    """A post its author (or `by`) deleted."""
    discussions.delete_post(post, by or post.author)
    return post


def reported(target, reporter=None, reason="spam", **options):
    """A report on a post or thread; returns the Report (its ReviewItem is `review_item(target)`)."""
    return moderation.report(reporter or user(), target, reason, **options)


def review_item(target, held=False) -> ReviewItem:
    """The open review item of a reported (or, with `held`, a held) post or thread."""
    kind = "thread" if isinstance(target, Thread) else "post"
    query = db.select(ReviewItem).filter_by(target_type=kind, target_id=target.id, held=held)
    return db.session.execute(query).scalars().first()


# Consultations --------------------------------------------------------------------------------------


def community_id(slug="c7-e-health") -> int:
    return community(slug).id


def values(kind="thematic", **overrides) -> dict:
    """Form values of a complete contribution of `kind`."""
    base = {
        "title": f"A {kind} contribution",
        "summary": "A summary that is long enough.",
        "body": "Some **Markdown** body.",
        "action_line_ids": [community_id("c7-e-health"), community_id("c2")],
        "region": "africa",
        "details": dict(DETAILS[kind]),
    }
    base.update(overrides)
    return base


def consultation(slug=None, deadline_local=DEADLINE_LOCAL, opens_local=datetime(2016, 9, 1), tz=GENEVA):
    """A consultation with an opening and a deadline phase; its creator is `consultation.test_admin`."""
    creator = admin()
    row = consultations.create_consultation(
        creator, slug=slug or f"consultation-{next(_numbers)}", title="WSIS Forum 2017 — Open Consultation",
        description="", time_zone=tz, time_zone_label="Geneva", reference_prefix="WSIS17",
    )  # fmt: skip
    consultations.add_phase(
        row, creator, kind="opening", title="Opening", starts_at=to_utc(opens_local, tz), all_day=True
    )
    consultations.add_phase(
        row, creator, kind="deadline", title="Deadline", starts_at=to_utc(deadline_local, tz)
    )
    row.test_admin = creator
    return row


def consultation_admin(consultation) -> User:
    """The administrator who created `consultation` (and decides on its contributions in these tests)."""
    return db.session.get(User, consultation.created_by_id)


def secretariat(consultation) -> User:
    person = user()
    consultations.grant_role(consultation, consultation_admin(consultation), person, Role.SECRETARIAT)
    return person


def reviewer(consultation) -> User:
    person = user()
    consultations.grant_role(consultation, consultation_admin(consultation), person, Role.REVIEWER)
    return person


def contribution(
    consultation, author=None, kind="thematic", state="draft", now=BEFORE, reviewer=None, **overrides
):
    """A contribution driven through the services to `state` (decisions by the consultation's admin)."""
    author = author or user()
    decider = consultation_admin(consultation)
    row = consultations.create_contribution(consultation, author, kind, now=now, **values(kind, **overrides))
    if state == "draft":
        return row
    consultations.submit(row, author, now=now)
    if state == "withdrawn":
        consultations.withdraw(row, author, now=now)
    if state in ("submitted", "withdrawn"):
        return row
    consultations.screen(row, decider, now=now)
    if reviewer is not None:
        consultations.assign_reviewer(row, decider, reviewer, now=now)
    later = now + timedelta(days=1)
    if state == "accepted":
        consultations.accept(row, decider, "Accepted: see session 3.", now=later)
    elif state == "declined":
        consultations.decline(row, decider, "Declined: out of scope.", now=later)
    elif state == "merged":
        target = contribution(consultation, kind=kind, state="submitted", now=now)
        consultations.merge(row, decider, target, "Merged with a similar proposal.", now=later)
    return row


def upload(uploader, data: bytes, name: str, kind: str = "post"):
    """A file uploaded for an item of `kind` and not attached yet (as when the form is still open)."""
    return files.upload(uploader, data, name, kind)


def attached_file(kind, item, uploader, data: bytes, name: str):
    """A file uploaded by `uploader` and attached to `item` (a "post" or "contribution"), as the forms do."""
    upload = files.upload(uploader, data, name, kind)
    files.attach([upload.id], kind, item.id, uploader)
    return upload


def meeting(consultation, starts_at, **overrides):
    """A meeting of `consultation`, created by its admin."""
    fields = dict(
        title="Check-in",
        format="online",
        place="",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
    )
    fields.update(overrides)
    return consultations.create_meeting(consultation, consultation_admin(consultation), **fields)


# A small forum for rule tables ------------------------------------------------------------------------

ROLES = ("anonymous", "member", "author", "other_moderator", "moderator", "admin")


def moderation_world() -> dict:
    """Users for every role and a thread of each moderation state in c7-e-health (moderated through its
    parent c7); returns their ids by name."""
    people = {name: user(name) for name in ("member", "author", "reporter", "silenced", "suspended")}
    people["admin"] = admin("admin")
    people["pending"] = user("pending", approval="pending")
    people["moderator"] = moderator("c7", "moderator")
    people["other_moderator"] = moderator("c1", "other_moderator")
    by, author = people["admin"], people["author"]
    silenced(people["silenced"], by)
    suspended(people["suspended"], by)
    main = thread(author=author, body="Opening post body")
    world = {name: person.id for name, person in people.items()}
    world.update(
        thread=main.id,
        reply=reply(main, author, body="A reply worth reporting").id,
        hidden=hidden(reply(main, author, body="A hidden reply"), by).id,
        other=thread(author=author, title="Another thread to merge into", body="Other body").id,
        hidden_thread=hidden(thread(author=author, title="A hidden thread", body="Hidden body"), by).id,
    )  # fmt: skip
    flagged = thread(author=author, title="A locked and pinned thread", body="Flag body")
    world["flagged"] = pinned(locked(flagged, by), by).id
    reported_reply = reply(main, author, body="A reply somebody reported")
    reported(reported_reply, people["reporter"])
    held = held_reply(main, people["member"], by=by)
    world.update(item=review_item(reported_reply).id, held=held.id, held_item=review_item(held, held=True).id)
    return world


# Reading back ---------------------------------------------------------------------------------------


def get(model, object_id):
    """The row of `model` with that id."""
    return db.session.get(model, object_id)


# The two modes --------------------------------------------------------------------------------------


@contextmanager
def setup_data(app):
    """Build several things in one app and request context of their own, committed at the end; the
    objects stay readable afterwards. Yields this module: `with setup_data(app) as build: build.user()`."""
    with app.app_context(), app.test_request_context():
        db.session().expire_on_commit = False
        yield sys.modules[__name__]
        db.session.commit()


class Make:
    """`make.<factory>(...)`: the factory of the same name, in a context of its own, committed."""

    def __init__(self, app):
        self.app = app

    def __getattr__(self, name):
        factory = getattr(sys.modules[__name__], name)
        return functools.partial(_committed, self.app, factory) if callable(factory) else factory


def _committed(app, factory, *args, **kwargs):
    with app.app_context(), app.test_request_context():
        session = db.session()
        session.expire_on_commit = False
        args = [_reloaded(value) for value in args]
        kwargs = {name: _reloaded(value) for name, value in kwargs.items()}
        result = factory(*args, **kwargs)
        session.commit()
        return result


def _reloaded(value):
    """A model from another session, read again by id in this one (never its stale state merged in)."""
    if not isinstance(value, db.Model):
        return value
    return db.session.get(type(value), sqlalchemy.inspect(value).identity)
