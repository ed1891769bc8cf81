"""Build consultations, users and contributions in the current session, for service-level tests."""

import itertools
from datetime import datetime, timedelta

from app.auth.models import User
from app.communities.models import Community
from app.consultation import services
from app.consultation.models import Role
from app.consultation.timezones import to_utc
from app.extensions import db

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


def community_id(slug="c7-e-health") -> int:
    return db.session.execute(db.select(Community.id).filter_by(slug=slug)).scalar_one()


def values(kind="thematic", **overrides) -> dict:
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


class Builders:
    def user(self, username=None, **fields) -> User:
        number = next(_numbers)
        username = username or f"person{number}"
        fields.setdefault("organisation", f"Org {number}")
        fields.setdefault("stakeholder_type", "civil_society")
        fields.setdefault("country", "Ghana")
        user = User(username=username, email=f"{username}@example.org", **fields)
        user.password_hash = "test-only: no password"  # scrypt per user would dominate the run time
        db.session.add(user)
        db.session.flush()
        return user

    def admin(self, username=None) -> User:
        return self.user(username, is_admin=True)

    def consultation(
        self, slug=None, deadline_local=DEADLINE_LOCAL, opens_local=datetime(2016, 9, 1), tz=GENEVA
    ):
        admin = self.admin()
        consultation = services.create_consultation(
            admin, slug=slug or f"consultation-{next(_numbers)}", title="WSIS Forum 2017 — Open Consultation",
            description="", time_zone=tz, time_zone_label="Geneva", reference_prefix="WSIS17",
        )  # fmt: skip
        services.add_phase(
            consultation,
            admin,
            kind="opening",
            title="Opening",
            starts_at=to_utc(opens_local, tz),
            all_day=True,
        )
        services.add_phase(
            consultation, admin, kind="deadline", title="Deadline", starts_at=to_utc(deadline_local, tz)
        )
        consultation.test_admin = admin
        return consultation

    def secretariat(self, consultation) -> User:
        user = self.user()
        services.grant_role(consultation, consultation.test_admin, user, Role.SECRETARIAT)
        return user

    def reviewer(self, consultation) -> User:
        user = self.user()
        services.grant_role(consultation, consultation.test_admin, user, Role.REVIEWER)
        return user

    def contribution(
        self,
        consultation,
        author=None,
        kind="thematic",
        state="draft",
        now=BEFORE,
        reviewer=None,
        **overrides,
    ):
        """A contribution driven through the services to `state` (decisions by the consultation's admin)."""
        author = author or self.user()
        admin = consultation.test_admin
        contribution = services.create_contribution(
            consultation, author, kind, now=now, **values(kind, **overrides)
        )
        if state == "draft":
            return contribution
        services.submit(contribution, author, now=now)
        if state == "withdrawn":
            services.withdraw(contribution, author, now=now)
        if state in ("submitted", "withdrawn"):
            return contribution
        services.screen(contribution, admin, now=now)
        if reviewer is not None:
            services.assign_reviewer(contribution, admin, reviewer, now=now)
        later = now + timedelta(days=1)
        if state == "accepted":
            services.accept(contribution, admin, "Accepted: see session 3.", now=later)
        elif state == "declined":
            services.decline(contribution, admin, "Declined: out of scope.", now=later)
        elif state == "merged":
            target = self.contribution(consultation, kind=kind, state="submitted", now=now)
            services.merge(contribution, admin, target, "Merged with a similar proposal.", now=later)
        return contribution
