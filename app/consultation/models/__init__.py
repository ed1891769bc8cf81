"""Consultation models: consultations and phases, contributions and reviews, meetings, the brief."""

from app.consultation.models.brief import BriefItem, BriefSection, BriefVersion, Disposition, SectionKind
from app.consultation.models.consultation import (
    Consultation,
    ConsultationRole,
    Phase,
    PhaseKind,
    PhaseView,
    Role,
)
from app.consultation.models.contribution import (
    DECIDED,
    PENDING,
    TRANSITIONS,
    Contribution,
    ContributionActionLine,
    ContributionState,
    ContributionTransition,
    Recommendation,
    ReviewAssignment,
    visible_contributions_clause,
)
from app.consultation.models.meeting import (
    AttendanceMode,
    CalendarKey,
    Meeting,
    MeetingFormat,
    MeetingItem,
    MeetingRegistration,
)
from app.consultation.models.reminder import Reminder
from app.consultation.types import ContributionType

__all__ = [
    "DECIDED",
    "PENDING",
    "TRANSITIONS",
    "AttendanceMode",
    "BriefItem",
    "CalendarKey",
    "BriefSection",
    "BriefVersion",
    "Consultation",
    "ConsultationRole",
    "Contribution",
    "ContributionActionLine",
    "ContributionState",
    "ContributionTransition",
    "ContributionType",
    "Disposition",
    "Meeting",
    "MeetingFormat",
    "MeetingItem",
    "MeetingRegistration",
    "Phase",
    "PhaseKind",
    "PhaseView",
    "Recommendation",
    "Reminder",
    "ReviewAssignment",
    "Role",
    "SectionKind",
    "visible_contributions_clause",
]
