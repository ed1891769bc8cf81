"""Demo data: the WSIS Forum 2017 open consultation as it happened, and a live one dated around today.

`seed_demo()` is idempotent: a consultation whose slug exists is left alone, demo users are reused.
It writes through the services, so the demo has the same history and audit rows as real use.
"""

import secrets
from datetime import datetime, timedelta

from app.auth.models import User, find_user_by_username
from app.communities.models import Community
from app.communities.seed import seed_communities
from app.consultation import services
from app.consultation.models import Consultation, PhaseKind, Role
from app.consultation.timezones import end_of_local_day, to_local, to_utc
from app.core.time import utcnow
from app.extensions import db

GENEVA = "Europe/Zurich"  # IANA has no Europe/Geneva; Geneva keeps Zurich time
ITU = "ITU Headquarters, Geneva"
WSIS2017_SLUG = "wsis-forum-2017"
LIVE_SLUG = "wsis-forum-live"

DEMO_USERS = [
    ("secretariat", "WSIS Secretariat", "ITU", "international_organisation", "Switzerland"),
    ("reviewer", "Programme reviewer", "UNESCO", "international_organisation", "France"),
    ("nadia", "Nadia Haddad", "Ministry of ICT", "government", "Tunisia"),
    ("kwame", "Kwame Mensah", "Accra Digital Rights", "civil_society", "Ghana"),
    ("li_wei", "Li Wei", "Tsinghua University", "academia", "China"),
    ("ana", "Ana Souza", "Conecta SA", "private_sector", "Brazil"),
]


def _local(tz, *parts) -> datetime:
    return to_utc(datetime(*parts), tz)


def _demo_user(username, name, organisation, stakeholder, country) -> User:
    user = find_user_by_username(username)
    if user is None:
        user = User(
            username=username, email=f"{username}@demo.majlis.invalid", display_name=name,
            organisation=organisation, stakeholder_type=stakeholder, country=country,
            email_confirmed_at=utcnow(),  # an invalid domain: no mail is ever sent to demo authors
        )  # fmt: skip
        user.set_password(secrets.token_urlsafe(24))  # demo authors cannot sign in
        db.session.add(user)
        db.session.flush()
    return user


def _community(slug) -> Community:
    return db.session.execute(db.select(Community).filter_by(slug=slug)).scalar_one()


def _phase(
    consultation, admin, kind, title, starts_at, ends_at=None, all_day=False, location="", description=""
):
    return services.add_phase(
        consultation, admin, kind=kind, title=title, starts_at=starts_at, ends_at=ends_at,
        all_day=all_day, location=location, description=description,
    )  # fmt: skip


def _meeting(consultation, admin, phase, title, starts_at, ends_at, agenda, fmt="hybrid", place=ITU):
    return services.create_meeting(
        consultation, admin, title=title, format=fmt, place=place, starts_at=starts_at, ends_at=ends_at,
        remote_url="https://meet.example.org/wsis-open-consultation", capacity=120, agenda=agenda,
        phase_id=phase.id,
    )  # fmt: skip


def _wsis2017_phases(consultation, admin):
    tz = GENEVA
    _phase(
        consultation, admin, PhaseKind.OPENING, "Opening of the open consultation process",
        _local(tz, 2016, 9, 1), all_day=True,
        description="Online dialogues in the knowledge communities; formal contributions on thematic aspects "
        "and format innovations open; call for nominations of multi-stakeholder high-level track "
        "facilitators open.",
    )  # fmt: skip
    first = _phase(
        consultation, admin, PhaseKind.MEETING, "First physical meeting", _local(tz, 2016, 10, 12, 16, 30),
        _local(tz, 2016, 10, 12, 18, 0), location=ITU, description="With remote participation.",
    )  # fmt: skip
    _meeting(
        consultation, admin, first, "First physical meeting of the open consultation",
        first.starts_at, first.ends_at, "1. Opening\n2. Thematic aspects\n3. Format innovations\n4. Next steps",
    )  # fmt: skip
    second_start = _local(tz, 2017, 2, 14)
    second = _phase(
        consultation, admin, PhaseKind.MEETING, "Second physical meeting", second_start,
        end_of_local_day(second_start, tz), all_day=True, location=ITU, description="With remote participation.",
    )  # fmt: skip
    _meeting(
        consultation, admin, second, "Second physical meeting of the open consultation",
        _local(tz, 2017, 2, 14, 10, 0), _local(tz, 2017, 2, 14, 13, 0),
        "1. Draft agenda of the Forum\n2. Workshop requests received\n3. High-level track facilitators",
    )  # fmt: skip
    _phase(
        consultation, admin, PhaseKind.DEADLINE, "Deadline for formal contributions and binding workshop requests",
        _local(tz, 2017, 2, 20, 23, 59),
    )  # fmt: skip
    final_start = _local(tz, 2017, 3, 14)
    final = _phase(
        consultation, admin, PhaseKind.REVIEW, "Final review meeting of the open consultation process",
        final_start, end_of_local_day(final_start, tz), all_day=True, location=ITU,
    )  # fmt: skip
    _meeting(
        consultation, admin, final, "Final review meeting", _local(tz, 2017, 3, 14, 10, 0),
        _local(tz, 2017, 3, 14, 13, 0), "1. Review of contributions\n2. Final agenda", fmt="physical",
    )  # fmt: skip
    brief_start = _local(tz, 2017, 5, 10)
    _phase(
        consultation, admin, PhaseKind.BRIEF, "Final brief on the WSIS Forum 2017", brief_start,
        end_of_local_day(brief_start, tz), all_day=True, location=ITU,
    )  # fmt: skip


def _contribution(consultation, author, kind, when, title, summary, lines, region, details=None):
    values = dict(
        title=title, summary=summary, body=f"{summary}\n\n**Proposal.** {title}.",
        action_line_ids=[_community(slug).id for slug in lines], region=region, details=details or {},
    )  # fmt: skip
    contribution = services.create_contribution(consultation, author, kind, now=when, **values)
    services.submit(contribution, author, now=when + timedelta(minutes=5))
    return contribution


def _workshop_details():
    speakers = [
        {
            "name": "Amina Diallo",
            "organisation": "Ministry of Health, Senegal",
            "stakeholder_type": "government",
        },
        {"name": "Jon Berg", "organisation": "Nordic Telehealth", "stakeholder_type": "private_sector"},
        {"name": "Priya Nair", "organisation": "Health Access Network", "stakeholder_type": "civil_society"},
    ]
    return {
        "format": "roundtable", "duration": 90, "languages": ["en", "fr"], "binding_commitment": True,
        "policy_questions": "How can telemedicine reach rural clinics sustainably?",
        "remote_participation": "Remote speakers need a stable video bridge.", "speakers": speakers,
    }  # fmt: skip


def _wsis2017_contributions(consultation, admin, users):
    tz = GENEVA
    thematic = _contribution(
        consultation, users["nadia"], "thematic", _local(tz, 2016, 11, 3, 10),
        "Affordable broadband for the Maghreb",
        "Regional backbone sharing can halve wholesale prices for landlocked areas.",
        ["c2", "c11"], "arab_states",
    )  # fmt: skip
    fmt = _contribution(
        consultation, users["li_wei"], "format", _local(tz, 2016, 12, 1, 9),
        "Unconference hours", "Leave two afternoon slots open for topics proposed on site.",
        ["c4"], "asia_pacific",
    )  # fmt: skip
    workshop = _contribution(
        consultation, users["kwame"], "workshop", _local(tz, 2017, 1, 20, 15),
        "Telemedicine for rural clinics", "A roundtable on sustainable telemedicine in rural West Africa.",
        ["c7-e-health", "c2"], "africa", _workshop_details(),
    )  # fmt: skip
    nomination = _contribution(
        consultation, users["ana"], "nomination", _local(tz, 2017, 2, 1, 11),
        "Nomination: Maria Lopes", "Maria Lopes has led e-business inclusion programmes for 15 years.",
        ["c7-e-business"], "americas",
        {"nominee": "Maria Lopes", "organisation": "Conecta SA", "stakeholder_type": "private_sector",
         "region": "americas", "bio": "Leads digital inclusion for small businesses.", "nominee_consent": True},
    )  # fmt: skip
    event = _contribution(
        consultation, users["nadia"], "event_input", _local(tz, 2017, 2, 10, 12),
        "Arab Regional WSIS Review outcomes", "Outcomes of the Arab regional review held in Tunis.",
        ["c1", "c8"], "arab_states",
        {"event_name": "Arab Regional WSIS Review", "level": "regional", "country_region": "Arab States",
         "event_start": "2017-01-16", "event_end": "2017-01-17", "outcome": "Priorities on Arabic content."},
    )  # fmt: skip
    review_day = _local(tz, 2017, 3, 1, 9)
    for contribution in (thematic, fmt, workshop, event, nomination):
        services.screen(contribution, admin, now=review_day)
    services.accept(thematic, admin, "Taken into the C2 session.", now=review_day + timedelta(days=13))
    services.accept(workshop, admin, "Scheduled as workshop 112.", now=review_day + timedelta(days=13))
    services.accept(event, admin, "Presented in the regional track.", now=review_day + timedelta(days=13))
    services.accept(
        nomination, admin, "Facilitator of the C7 e-business session.", now=review_day + timedelta(days=13)
    )
    services.decline(
        fmt, admin, "The programme has no free afternoons this year.", now=review_day + timedelta(days=13)
    )
    return thematic, fmt, workshop, event


def _wsis2017_brief(consultation, admin, thematic, fmt, workshop, event):
    c2 = services.add_section(
        consultation,
        admin,
        "action_line",
        "C2 Information and communication infrastructure",
        community=_community("c2"),
    )
    services.add_item(
        c2, admin, "incorporated", "The C2 session addresses regional backbones.", contribution=thematic
    )
    formats = services.add_section(consultation, admin, "format_innovations", "Format innovations")
    services.add_item(formats, admin, "noted", "Considered for 2018.", contribution=fmt)
    workshops = services.add_section(consultation, admin, "workshops", "Workshops")
    services.add_item(workshops, admin, "incorporated", "Workshop 112.", contribution=workshop)
    regional = services.add_section(consultation, admin, "regional_inputs", "Regional inputs")
    services.add_item(regional, admin, "partially", "Arabic content priorities feed C8.", contribution=event)
    services.set_intro(consultation, admin, "How the open consultation shaped the WSIS Forum 2017 programme.")
    services.publish(consultation, admin, now=_local(GENEVA, 2017, 5, 10, 12))


def _seed_wsis2017(admin, users) -> None:
    consultation = services.create_consultation(
        admin, slug=WSIS2017_SLUG, title="WSIS Forum 2017 — Open Consultation Process", time_zone=GENEVA, time_zone_label="Geneva",
        reference_prefix="WSIS17",
        description="The open consultation that shaped the agenda and programme of the WSIS Forum 2017.",
    )  # fmt: skip
    services.grant_role(consultation, admin, users["secretariat"], Role.SECRETARIAT)
    services.grant_role(consultation, admin, users["reviewer"], Role.REVIEWER)
    _wsis2017_phases(consultation, admin)
    decided = _wsis2017_contributions(consultation, users["secretariat"], users)
    _wsis2017_brief(consultation, users["secretariat"], *decided)


def _day(now, days, hour=0, minute=0) -> datetime:
    """A local Geneva wall time `days` from `now` at hour:minute, as naive UTC."""
    local = to_local(now, GENEVA) + timedelta(days=days)
    return to_utc(datetime(local.year, local.month, local.day, hour, minute), GENEVA)


def _seed_live(admin, users, now) -> None:
    year = (now + timedelta(days=200)).year
    consultation = services.create_consultation(
        admin, slug=LIVE_SLUG, title=f"WSIS Forum {year} — Open Consultation Process", time_zone=GENEVA, time_zone_label="Geneva",
        reference_prefix=f"WSIS{year % 100:02d}",
        description="The open consultation now under way: contribute, register for meetings, discuss.",
    )  # fmt: skip
    services.grant_role(consultation, admin, users["secretariat"], Role.SECRETARIAT)
    services.grant_role(consultation, admin, users["reviewer"], Role.REVIEWER)
    _phase(consultation, admin, PhaseKind.OPENING, "Opening of the open consultation process", _day(now, -30), all_day=True,
           description="Online dialogues, formal contributions and nominations open.")  # fmt: skip
    first = _phase(consultation, admin, PhaseKind.MEETING, "First physical meeting", _day(now, -7, 16, 30),
                   _day(now, -7, 18), location=ITU, description="With remote participation.")  # fmt: skip
    _meeting(
        consultation,
        admin,
        first,
        "First physical meeting",
        first.starts_at,
        first.ends_at,
        "1. Opening\n2. Themes",
    )
    second = _phase(consultation, admin, PhaseKind.MEETING, "Second physical meeting", _day(now, 7, 14),
                    _day(now, 7, 17), location=ITU, description="With remote participation.")  # fmt: skip
    _meeting(consultation, admin, second, "Second physical meeting", second.starts_at, second.ends_at,
             "1. Workshop requests\n2. Facilitators")  # fmt: skip
    _phase(consultation, admin, PhaseKind.DEADLINE, "Deadline for formal contributions and binding workshop requests",
           _day(now, 21, 23, 59))  # fmt: skip
    _phase(consultation, admin, PhaseKind.REVIEW, "Final review meeting of the open consultation process",
           _day(now, 35, 10), _day(now, 35, 13), location=ITU)  # fmt: skip
    _phase(consultation, admin, PhaseKind.BRIEF, f"Final brief on the WSIS Forum {year}", _day(now, 70),
           _day(now, 71), all_day=True, location=ITU)  # fmt: skip
    _contribution(
        consultation, users["kwame"], "thematic", now - timedelta(days=3), "Community networks as infrastructure",
        "Licensing community networks would connect the last billion.", ["c2"], "africa",
    )  # fmt: skip


def seed_demo(now=None) -> dict:
    """Create the demo consultations (idempotent). Returns {slug: created?}. The caller commits."""
    now = now or utcnow()
    seed_communities()
    users = {row[0]: _demo_user(*row) for row in DEMO_USERS}
    admin = users["secretariat"]
    admin.is_admin = True
    created = {}
    for slug, seeder in (
        (WSIS2017_SLUG, lambda: _seed_wsis2017(admin, users)),
        (LIVE_SLUG, lambda: _seed_live(admin, users, now)),
    ):
        exists = db.session.execute(db.select(Consultation.id).filter_by(slug=slug)).scalar() is not None
        if not exists:
            seeder()
        created[slug] = not exists
    db.session.flush()
    return created
