"""A consultation, its dated phases and the people with a role in it.

Nothing here is flipped by a clock: which phase is current, whether contributions are accepted
and what comes next are worked out from the dates at request time (STYLE.md habit 5). Every method
that depends on time takes `now` (naive UTC) so tests can ask about any minute.
"""

import enum
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.consultation.timezones import local_minute, to_local
from app.core.time import utcnow
from app.extensions import db


class PhaseKind(enum.StrEnum):
    OPENING = "opening"
    MEETING = "meeting"
    DEADLINE = "deadline"
    REVIEW = "review"
    BRIEF = "brief"
    OTHER = "other"

    @property
    def label(self):
        return PHASE_KIND_LABELS[self]


PHASE_KIND_LABELS = {
    PhaseKind.OPENING: _l("Opening"),
    PhaseKind.MEETING: _l("Meeting"),
    PhaseKind.DEADLINE: _l("Deadline"),
    PhaseKind.REVIEW: _l("Review"),
    PhaseKind.BRIEF: _l("Final brief"),
    PhaseKind.OTHER: _l("Other"),
}


class Role(enum.StrEnum):
    SECRETARIAT = "secretariat"
    REVIEWER = "reviewer"

    @property
    def label(self):
        return {Role.SECRETARIAT: _l("Secretariat"), Role.REVIEWER: _l("Reviewer")}[self]


def _values(enum_cls) -> str:
    return ", ".join(f"'{member.value}'" for member in enum_cls)


@dataclass
class PhaseView:
    """A phase as seen at one moment: past, current or upcoming."""

    phase: "Phase"
    status: str


class Consultation(db.Model):
    __tablename__ = "consultations"

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(80), nullable=False, unique=True)
    title = db.Column(db.String(200), nullable=False)
    description_source = db.Column(db.Text, nullable=False, default="")
    description_html = db.Column(db.Text, nullable=False, default="")
    time_zone = db.Column(db.String(64), nullable=False, default="Europe/Zurich")
    time_zone_label = db.Column(db.String(64), nullable=False, default="")
    reference_prefix = db.Column(db.String(16), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    brief_intro_source = db.Column(db.Text, nullable=False, default="")
    brief_intro_html = db.Column(db.Text, nullable=False, default="")
    brief_published_at = db.Column(db.DateTime, nullable=True)

    phases = db.relationship(
        "Phase", back_populates="consultation", order_by="Phase.starts_at", cascade="all, delete-orphan"
    )

    __table_args__ = (db.CheckConstraint("length(reference_prefix) > 0", name="reference_prefix"),)

    def __repr__(self):
        return f"<Consultation {self.slug}>"

    def __str__(self):
        return self.slug

    # Roles -----------------------------------------------------------------------------------
    def roles_of(self, user) -> set[str]:
        """The roles `user` holds here (cached on the user object for the request)."""
        if not user.is_authenticated:
            return set()
        cache = user.__dict__.setdefault("_consultation_roles", {})
        if self.id not in cache:
            rows = db.session.execute(
                db.select(ConsultationRole.role).filter_by(consultation_id=self.id, user_id=user.id)
            ).scalars()
            cache[self.id] = set(rows)
        return cache[self.id]

    def is_secretariat(self, user) -> bool:
        return user.is_authenticated and (user.is_admin or Role.SECRETARIAT in self.roles_of(user))

    def is_reviewer(self, user) -> bool:
        return user.is_authenticated and Role.REVIEWER in self.roles_of(user)

    @staticmethod
    def can_create(user) -> bool:
        """Open a new consultation: administrators only."""
        return user.is_authenticated and user.is_admin

    def can_edit(self, user) -> bool:
        """Consultation settings and phases: administrators only."""
        return self.can_create(user)

    def can_manage(self, user) -> bool:
        """Screening, assignments, decisions, meetings and the brief: the secretariat."""
        return self.is_secretariat(user)

    def can_review(self, user) -> bool:
        return self.is_reviewer(user) or self.is_secretariat(user)

    def can_contribute(self, user) -> bool:
        """Start a draft: any signed-in participant who may post (drafts can be written any time)."""
        return user.is_authenticated and user.can_post()

    def can_view_brief(self, user) -> bool:
        return self.brief_published_at is not None or self.is_secretariat(user)

    # Dates -----------------------------------------------------------------------------------
    def _first_phase(self, kind):
        return next((phase for phase in self.phases if phase.kind == kind), None)

    @property
    def submission_deadline(self) -> datetime | None:
        """The start of the first deadline phase (naive UTC); submissions are taken through that minute."""
        phase = self._first_phase(PhaseKind.DEADLINE)
        return phase.starts_at if phase else None

    @property
    def submissions_open_at(self) -> datetime | None:
        phase = self._first_phase(PhaseKind.OPENING) or (self.phases[0] if self.phases else None)
        return phase.starts_at if phase else None

    def submission_window(self, now=None) -> str:
        """'not_open', 'open' or 'closed', to the minute in the consultation's time zone."""
        now = now or utcnow()
        opens, deadline = self.submissions_open_at, self.submission_deadline
        if opens is None or local_minute(now, self.time_zone) < local_minute(opens, self.time_zone):
            return "not_open"
        if deadline is not None and local_minute(now, self.time_zone) > local_minute(
            deadline, self.time_zone
        ):
            return "closed"
        return "open"

    def accepts_submissions(self, now=None) -> bool:
        return self.submission_window(now) == "open"

    def supports_open(self, now=None) -> bool:
        """Members support contributions from the opening of submissions until the final brief's
        phase begins (or the consultation ends): the brief counts supports that no longer move."""
        now = now or utcnow()
        if self.submission_window(now) == "not_open" or self.is_concluded(now):
            return False
        current = self.current_phase(now)
        brief = self._first_phase(PhaseKind.BRIEF)
        return not (brief is not None and now >= brief.starts_at) and current is not None

    def is_concluded(self, now=None) -> bool:
        now = now or utcnow()
        last = self.phases[-1] if self.phases else None
        return last is not None and last.ends_at is not None and now >= last.ends_at

    def current_phase(self, now=None):
        """The latest phase that has started and not ended (phases without an end last until the
        next one); None before the first phase and after the last one has ended."""
        now = now or utcnow()
        if self.is_concluded(now):
            return None
        running = [p for p in self.phases if p.starts_at <= now and (p.ends_at is None or now < p.ends_at)]
        return running[-1] if running else None

    def timeline(self, now=None) -> list[PhaseView]:
        now = now or utcnow()
        current = self.current_phase(now)
        views = []
        for phase in self.phases:
            if phase is current:
                status = "current"
            elif phase.starts_at > now:
                status = "upcoming"
            else:
                status = "past"
            views.append(PhaseView(phase, status))
        return views

    def next_deadline(self, now=None):
        """(label, naive UTC) of the next thing to count down to, or None. The submission deadline is
        its minute (submissions are taken until that minute ends)."""
        now = now or utcnow()
        deadline = self.submission_deadline
        if deadline is not None and self.submission_window(now) == "open":
            return _l("Deadline for formal contributions"), deadline
        upcoming = next((phase for phase in self.phases if phase.starts_at > now), None)
        return (upcoming.title, upcoming.starts_at) if upcoming else None

    def local(self, value):
        return to_local(value, self.time_zone)

    @property
    def zone_name(self):
        """How the page names the consultation's time: 'Geneva time' in the reader's language (the
        place a catalog entry, `timezones.PLACE_NAMES`), else the IANA name."""
        if self.time_zone_label:
            return _l("%(place)s time", place=_l(self.time_zone_label))
        return self.time_zone


class Phase(db.Model):
    __tablename__ = "consultation_phases"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(
        db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    kind = db.Column(db.String(16), nullable=False, default=PhaseKind.OTHER)
    starts_at = db.Column(db.DateTime, nullable=False)
    ends_at = db.Column(db.DateTime, nullable=True)
    all_day = db.Column(db.Boolean, nullable=False, default=False)
    location = db.Column(db.String(200), nullable=False, default="")

    consultation = db.relationship("Consultation", back_populates="phases")

    __table_args__ = (
        db.CheckConstraint(f"kind in ({_values(PhaseKind)})", name="kind"),
        db.CheckConstraint("ends_at is null or ends_at > starts_at", name="ends_after_start"),
    )

    def __repr__(self):
        return f"<Phase {self.id} {self.kind}>"

    @property
    def kind_label(self):
        return PhaseKind(self.kind).label

    def as_dict(self) -> dict:
        """What the audit log records about a phase."""
        return {
            "title": self.title,
            "kind": self.kind,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "all_day": self.all_day,
            "location": self.location,
        }


class ConsultationRole(db.Model):
    """A user's secretariat or reviewer role in one consultation."""

    __tablename__ = "consultation_roles"

    consultation_id = db.Column(
        db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role = db.Column(db.String(16), primary_key=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    user = db.relationship("User", lazy="joined")

    __table_args__ = (db.CheckConstraint(f"role in ({_values(Role)})", name="role"),)
