"""Meetings of a consultation: physical, online or hybrid, with registration, minutes and attendance."""

import enum
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.consultation.models.consultation import _values
from app.core.time import utcnow
from app.extensions import db

REMOTE_LINK_LEAD = timedelta(minutes=30)


class MeetingFormat(enum.StrEnum):
    PHYSICAL = "physical"
    ONLINE = "online"
    HYBRID = "hybrid"

    @property
    def label(self):
        return {
            MeetingFormat.PHYSICAL: _l("Physical"),
            MeetingFormat.ONLINE: _l("Online"),
            MeetingFormat.HYBRID: _l("Hybrid (physical with remote participation)"),
        }[self]


class AttendanceMode(enum.StrEnum):
    IN_PERSON = "in_person"
    REMOTE = "remote"

    @property
    def label(self):
        return {AttendanceMode.IN_PERSON: _l("In person"), AttendanceMode.REMOTE: _l("Remotely")}[self]


class Meeting(db.Model):
    __tablename__ = "consultation_meetings"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(
        db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    phase_id = db.Column(
        db.Integer, db.ForeignKey("consultation_phases.id", ondelete="SET NULL"), nullable=True
    )
    title = db.Column(db.String(200), nullable=False)
    format = db.Column(db.String(16), nullable=False, default=MeetingFormat.HYBRID)
    place = db.Column(db.String(200), nullable=False, default="")
    starts_at = db.Column(db.DateTime, nullable=False)
    ends_at = db.Column(db.DateTime, nullable=False)
    remote_url = db.Column(db.String(500), nullable=False, default="")
    capacity = db.Column(db.Integer, nullable=True)
    agenda_source = db.Column(db.Text, nullable=False, default="")
    agenda_html = db.Column(db.Text, nullable=False, default="")
    minutes_source = db.Column(db.Text, nullable=True)
    minutes_html = db.Column(db.Text, nullable=True)
    minutes_published_at = db.Column(db.DateTime, nullable=True)
    other_attendees = db.Column(db.Integer, nullable=False, default=0)

    consultation = db.relationship(
        "Consultation", backref=db.backref("meetings", order_by="Meeting.starts_at")
    )
    phase = db.relationship("Phase", backref=db.backref("meetings", order_by="Meeting.starts_at"))
    registrations = db.relationship(
        "MeetingRegistration", order_by="MeetingRegistration.created_at", cascade="all, delete-orphan"
    )
    items = db.relationship("MeetingItem", order_by="MeetingItem.id", cascade="all, delete-orphan")

    __table_args__ = (
        db.CheckConstraint(f"format in ({_values(MeetingFormat)})", name="format"),
        db.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        db.CheckConstraint("capacity is null or capacity > 0", name="capacity"),
        db.CheckConstraint("other_attendees >= 0", name="other_attendees"),
        db.CheckConstraint(
            "(minutes_published_at is null) = (minutes_source is null)", name="minutes_published"
        ),
    )

    def __repr__(self):
        return f"<Meeting {self.id}>"

    @property
    def format_label(self):
        return MeetingFormat(self.format).label

    @property
    def modes(self) -> list[AttendanceMode]:
        """How one can attend: in person, remotely, or both."""
        return {
            MeetingFormat.PHYSICAL: [AttendanceMode.IN_PERSON],
            MeetingFormat.ONLINE: [AttendanceMode.REMOTE],
            MeetingFormat.HYBRID: [AttendanceMode.IN_PERSON, AttendanceMode.REMOTE],
        }[MeetingFormat(self.format)]

    @property
    def in_person_count(self) -> int:
        return sum(1 for r in self.registrations if r.mode == AttendanceMode.IN_PERSON)

    @property
    def places_left(self) -> int | None:
        """In-person places left (remote participation is not limited); None when unlimited."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.in_person_count, 0)

    @property
    def attendance_count(self) -> int:
        return sum(1 for r in self.registrations if r.attended) + self.other_attendees

    def status(self, now=None) -> str:
        now = now or utcnow()
        if now < self.starts_at:
            return "upcoming"
        return "running" if now < self.ends_at else "past"

    def registration_of(self, user):
        if not user.is_authenticated:
            return None
        return next((r for r in self.registrations if r.user_id == user.id), None)

    def can_register(self, user, mode=None, now=None) -> bool:
        """Signed-in, not yet registered, before the end; in person only while places are left."""
        if not user.is_authenticated or self.registration_of(user) is not None:
            return False
        if self.status(now) == "past":
            return False
        if mode is not None and mode not in self.modes:
            return False
        if mode == AttendanceMode.IN_PERSON and self.places_left == 0:
            return False
        return mode is not None or any(self.can_register(user, m, now) for m in self.modes)

    def can_unregister(self, user, now=None) -> bool:
        return self.registration_of(user) is not None and self.status(now) == "upcoming"

    def can_see_remote_link(self, user, now=None) -> bool:
        """Signed-in users from 30 minutes before the start until the end; those registered to attend
        remotely from their registration on (it is in their calendar)."""
        now = now or utcnow()
        if not user.is_authenticated or not self.remote_url or AttendanceMode.REMOTE not in self.modes:
            return False
        if now >= self.ends_at:
            return False
        registration = self.registration_of(user)
        if registration is not None and registration.mode == AttendanceMode.REMOTE:
            return True
        return self.starts_at - REMOTE_LINK_LEAD <= now

    def can_record_minutes(self, user, now=None) -> bool:
        return self.consultation.can_manage(user) and self.status(now) != "upcoming"


class MeetingRegistration(db.Model):
    __tablename__ = "consultation_meeting_registrations"

    meeting_id = db.Column(
        db.Integer, db.ForeignKey("consultation_meetings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    mode = db.Column(db.String(16), nullable=False)
    attended = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    user = db.relationship("User", lazy="joined")

    __table_args__ = (db.CheckConstraint(f"mode in ({_values(AttendanceMode)})", name="mode"),)


class CalendarKey(db.Model):
    """The secret in a member's own calendar address (the meetings they registered for): whoever has
    the address reads the feed, so the member may replace it, which ends the old one."""

    __tablename__ = "consultation_calendar_keys"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    user = db.relationship("User")


class MeetingItem(db.Model):
    """A contribution or a discussion thread taken up at a meeting."""

    __tablename__ = "consultation_meeting_items"

    id = db.Column(db.Integer, primary_key=True)
    meeting_id = db.Column(
        db.Integer, db.ForeignKey("consultation_meetings.id", ondelete="CASCADE"), nullable=False, index=True
    )
    contribution_id = db.Column(
        db.Integer, db.ForeignKey("contributions.id", ondelete="CASCADE"), nullable=True
    )
    thread_id = db.Column(db.Integer, db.ForeignKey("threads.id", ondelete="CASCADE"), nullable=True)

    contribution = db.relationship("Contribution")
    thread = db.relationship("Thread")

    __table_args__ = (
        db.CheckConstraint("(contribution_id is null) != (thread_id is null)", name="one_target"),
    )
