"""The contribution state machine as one table: state × action × role → allowed or refused."""

import os
from contextlib import ExitStack

import pytest
from flask_login import AnonymousUserMixin

from app import create_app
from app.consultation import services
from app.consultation.models import TRANSITIONS, ContributionTransition
from app.core.audit import AuditEntry
from app.extensions import db
from tests.factories import AFTER, BEFORE
from tests.support.database import config_for, create_tables, is_postgres, postgres_schema

STATES = ["draft", "submitted", "under_review", "accepted", "declined", "merged", "withdrawn"]
ACTIONS = ["submit", "accept_late", "screen", "accept", "decline", "merge", "withdraw"]
ROLES = ["author", "other", "reviewer", "secretariat", "admin", "anonymous"]
SECRETARIAT = {"secretariat", "admin"}

# Who may do what while submissions are open. Everything not listed is refused.
ALLOWED_OPEN = {
    ("draft", "submit"): {"author"},
    ("submitted", "screen"): SECRETARIAT,
    ("submitted", "decline"): SECRETARIAT,
    ("submitted", "withdraw"): {"author"},
    ("under_review", "accept"): SECRETARIAT,
    ("under_review", "decline"): SECRETARIAT,
    ("under_review", "merge"): SECRETARIAT,
    ("under_review", "withdraw"): {"author"},
}
# After the deadline: the author can no longer submit; only an administrator accepts a draft late.
ALLOWED_CLOSED = {**ALLOWED_OPEN, ("draft", "submit"): set(), ("draft", "accept_late"): {"admin"}}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app and database for the whole table: each case works in its own transaction, rolled back.
    On PostgreSQL in a schema of its own: xdist workers may run parts of this table at once."""
    tmp_path = tmp_path_factory.mktemp("state_machine")
    with ExitStack() as stack:
        schema = (
            stack.enter_context(postgres_schema(os.environ["TEST_DATABASE_URL"])) if is_postgres() else None
        )
        config = config_for(tmp_path, schema)
        create_tables(config, seed=True)
        app = create_app(config)
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


# The deadline only changes what can happen to drafts; after it, submitted ones are checked too.
TABLE = [
    (when, state, action, role, role in table.get((state, action), set()))
    for when, table, states in (
        ("open", ALLOWED_OPEN, STATES),
        ("closed", ALLOWED_CLOSED, ["draft", "submitted"]),
    )
    for state in states
    for action in ACTIONS
    for role in ROLES
]


def _actor(role, contribution, build, consultation, reviewer):
    return {
        "author": lambda: contribution.author,
        "other": lambda: build.user(),
        "reviewer": lambda: reviewer,
        "secretariat": lambda: build.secretariat(consultation),
        "admin": lambda: build.admin(),
        "anonymous": AnonymousUserMixin,
    }[role]()


def _perform(action, contribution, actor, now, target):
    calls = {
        "submit": lambda: services.submit(contribution, actor, now=now),
        "accept_late": lambda: services.accept_late(contribution, actor, "Sent on time by post.", now=now),
        "screen": lambda: services.screen(contribution, actor, now=now),
        "accept": lambda: services.accept(contribution, actor, "Welcome.", now=now),
        "decline": lambda: services.decline(contribution, actor, "Out of scope.", now=now),
        "merge": lambda: services.merge(contribution, actor, target, "Same idea.", now=now),
        "withdraw": lambda: services.withdraw(contribution, actor, now=now),
    }
    calls[action]()


def _count(model, **filters):
    return db.session.execute(db.select(db.func.count()).select_from(model).filter_by(**filters)).scalar()


@pytest.mark.parametrize("when, state, action, role, allowed", TABLE)
def test_transition_table(build, when, state, action, role, allowed):
    consultation = build.consultation()
    reviewer = build.reviewer(consultation)
    contribution = build.contribution(
        consultation, state=state, reviewer=reviewer if state != "draft" else None
    )
    target = build.contribution(consultation, state="submitted")
    actor = _actor(role, contribution, build, consultation, reviewer)
    now = BEFORE if when == "open" else AFTER
    before_state = contribution.state
    audit_before = _count(AuditEntry, action=f"contribution.{action}", target_id=contribution.id)

    assert contribution.can(action, actor, now) is allowed
    if allowed:
        _perform(action, contribution, actor, now, target)
        assert contribution.state == TRANSITIONS[action][1]
        step = contribution.history[-1]
        assert (step.action, step.from_state, step.to_state) == (action, before_state, contribution.state)
        assert (
            _count(AuditEntry, action=f"contribution.{action}", target_id=contribution.id) == audit_before + 1
        )
    else:
        with pytest.raises(services.ConsultationError):
            _perform(action, contribution, actor, now, target)
        assert contribution.state == before_state
        assert _count(ContributionTransition, contribution_id=contribution.id, action=action) == (
            1 if (state, action) in _reached_by(state) else 0
        )
        assert _count(AuditEntry, action=f"contribution.{action}", target_id=contribution.id) == audit_before


def _reached_by(state):
    """The (state, action) pairs whose action already appears in a contribution's history at `state`."""
    path = {
        "draft": [],
        "submitted": ["submit"],
        "withdrawn": ["submit", "withdraw"],
        "under_review": ["submit", "screen"],
        "accepted": ["submit", "screen", "accept"],
        "declined": ["submit", "screen", "decline"],
        "merged": ["submit", "screen", "merge"],
    }[state]
    return {(state, action) for action in path}


def test_table_covers_every_transition():
    listed = {key for key, roles in ALLOWED_CLOSED.items() if roles} | set(ALLOWED_OPEN)
    for action, (sources, _target) in TRANSITIONS.items():
        for source in sources:
            assert (source, action) in listed, (source, action)


def test_merge_needs_a_live_target(build):
    consultation = build.consultation()
    contribution = build.contribution(consultation, state="under_review")
    withdrawn = build.contribution(consultation, state="withdrawn")
    for target in (None, contribution, withdrawn):
        with pytest.raises(services.ConsultationError):
            services.merge(contribution, consultation.test_admin, target, "Same.", now=BEFORE)
    assert contribution.state == "under_review" and contribution.merged_into_id is None


def test_decision_needs_a_response(build):
    consultation = build.consultation()
    contribution = build.contribution(consultation, state="under_review")
    with pytest.raises(services.ConsultationError):
        services.accept(contribution, consultation.test_admin, "  ", now=BEFORE)
    assert contribution.state == "under_review"
