"""The five kinds of formal contribution: codes, labels, visibility, review criteria, and the
type-specific fields, validated on the server whatever the caller (form, CLI, test)."""

import enum
from datetime import date

from flask_babel import lazy_gettext as _l

from app.auth.models import STAKEHOLDER_LABELS, StakeholderType

MIN_SPEAKERS = 3
BIO_MAX = 1500
TEXT_MAX = 5000


class ContributionType(enum.StrEnum):
    THEMATIC = "thematic"
    FORMAT = "format"
    WORKSHOP = "workshop"
    NOMINATION = "nomination"
    EVENT_INPUT = "event_input"

    @property
    def label(self):
        return TYPE_LABELS[self]

    @property
    def code(self) -> str:
        """The letters in a reference such as WSIS17-WS-0042."""
        return TYPE_CODES[self]

    @property
    def is_public(self) -> bool:
        """Public once submitted; the others stay with author and secretariat until decided."""
        return self in (ContributionType.THEMATIC, ContributionType.FORMAT, ContributionType.EVENT_INPUT)

    @property
    def criteria(self) -> dict:
        return REVIEW_CRITERIA[self]


TYPE_LABELS = {
    ContributionType.THEMATIC: _l("Thematic aspect"),
    ContributionType.FORMAT: _l("Format innovation"),
    ContributionType.WORKSHOP: _l("Binding workshop request"),
    ContributionType.NOMINATION: _l("Nomination of a high-level track facilitator"),
    ContributionType.EVENT_INPUT: _l("Input from a regional or national event"),
}
TYPE_CODES = {
    ContributionType.THEMATIC: "TA",
    ContributionType.FORMAT: "FI",
    ContributionType.WORKSHOP: "WS",
    ContributionType.NOMINATION: "HL",
    ContributionType.EVENT_INPUT: "RE",
}
REVIEW_CRITERIA = {
    ContributionType.THEMATIC: {"relevance": _l("Relevance to the action lines"), "clarity": _l("Clarity")},
    ContributionType.FORMAT: {"novelty": _l("Novelty"), "feasibility": _l("Feasibility")},
    ContributionType.WORKSHOP: {
        "relevance": _l("Relevance to the action lines"),
        "diversity": _l("Diversity of speakers"),
        "interactivity": _l("Interactivity of the format"),
    },
    ContributionType.NOMINATION: {"expertise": _l("Expertise"), "balance": _l("Stakeholder balance")},
    ContributionType.EVENT_INPUT: {
        "relevance": _l("Relevance to the action lines"),
        "representativeness": _l("Representativeness of the event"),
    },
}

REGIONS = {
    "africa": _l("Africa"),
    "americas": _l("Americas"),
    "arab_states": _l("Arab States"),
    "asia_pacific": _l("Asia and the Pacific"),
    "cis": _l("Commonwealth of Independent States"),
    "europe": _l("Europe"),
    "global": _l("Global / several regions"),
}
WORKSHOP_FORMATS = {
    "panel": _l("Panel"),
    "roundtable": _l("Roundtable"),
    "interactive": _l("Interactive session"),
    "hackathon": _l("Hackathon or lab"),
}
WORKSHOP_DURATIONS = (45, 60, 90)
LANGUAGES = {
    "ar": _l("Arabic"),
    "zh": _l("Chinese"),
    "en": _l("English"),
    "fr": _l("French"),
    "ru": _l("Russian"),
    "es": _l("Spanish"),
}
EVENT_LEVELS = {"regional": _l("Regional"), "national": _l("National")}
STAKEHOLDER_VALUES = {value.value for value in StakeholderType}


def region_label(value):
    return REGIONS.get(value, value or "")


def stakeholder_label(value):
    try:
        return STAKEHOLDER_LABELS[StakeholderType(value)]
    except ValueError:
        return value or ""


def _text(details, name, errors, label, required=True, max_length=TEXT_MAX):
    value = str(details.get(name) or "").strip()
    if required and not value:
        errors[name] = _l("%(field)s is required.", field=label)
    elif len(value) > max_length:
        errors[name] = _l("%(field)s is too long (at most %(max)d characters).", field=label, max=max_length)
    return value


def _choice(details, name, errors, choices, label):
    value = details.get(name)
    if value not in choices:
        errors[name] = _l("Choose a valid %(field)s.", field=label)
    return value


def _speakers(details, errors):
    speakers = []
    for raw in details.get("speakers") or []:
        speaker = {
            key: str(raw.get(key) or "").strip() for key in ("name", "organisation", "stakeholder_type")
        }
        if not any(speaker.values()):
            continue
        if not speaker["name"] or not speaker["organisation"]:
            errors["speakers"] = _l("Each speaker needs a name and an organisation.")
        elif speaker["stakeholder_type"] not in STAKEHOLDER_VALUES:
            errors["speakers"] = _l("Each speaker needs a stakeholder type.")
        speakers.append(speaker)
    if len(speakers) < MIN_SPEAKERS and "speakers" not in errors:
        errors["speakers"] = _l("List at least %(num)d speakers.", num=MIN_SPEAKERS)
    return speakers


def _workshop(details, errors):
    duration = details.get("duration")
    try:
        duration = int(duration)
    except (TypeError, ValueError):
        duration = None
    if duration not in WORKSHOP_DURATIONS:
        errors["duration"] = _l("Choose a duration.")
    languages = [code for code in details.get("languages") or [] if code in LANGUAGES]
    if not languages:
        errors["languages"] = _l("Choose at least one language.")
    if details.get("binding_commitment") is not True:
        errors["binding_commitment"] = _l("A binding workshop request needs the commitment.")
    return {
        "format": _choice(details, "format", errors, WORKSHOP_FORMATS, _l("format")),
        "duration": duration,
        "policy_questions": _text(details, "policy_questions", errors, _l("Policy questions")),
        "languages": languages,
        "remote_participation": _text(
            details, "remote_participation", errors, _l("Remote participation"), required=False
        ),
        "speakers": _speakers(details, errors),
        "binding_commitment": details.get("binding_commitment") is True,
    }


def _nomination(details, errors):
    if details.get("nominee_consent") is not True:
        errors["nominee_consent"] = _l("The nominee must have agreed to be nominated.")
    return {
        "nominee": _text(details, "nominee", errors, _l("Nominee"), max_length=120),
        "organisation": _text(details, "organisation", errors, _l("Organisation"), max_length=120),
        "stakeholder_type": _choice(
            details, "stakeholder_type", errors, STAKEHOLDER_VALUES, _l("stakeholder type")
        ),
        "region": _choice(details, "region", errors, REGIONS, _l("region")),
        "bio": _text(details, "bio", errors, _l("Short biography"), max_length=BIO_MAX),
        "nominee_consent": details.get("nominee_consent") is True,
    }


def _parse_date(details, name, errors, label):
    value = details.get(name)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[name] = _l("%(field)s must be a date (YYYY-MM-DD).", field=label)
        return None


def _event_input(details, errors):
    starts = _parse_date(details, "event_start", errors, _l("Start date"))
    ends = _parse_date(details, "event_end", errors, _l("End date"))
    if starts and ends and ends < starts:
        errors["event_end"] = _l("The event cannot end before it starts.")
    return {
        "event_name": _text(details, "event_name", errors, _l("Event name"), max_length=200),
        "level": _choice(details, "level", errors, EVENT_LEVELS, _l("level")),
        "country_region": _text(details, "country_region", errors, _l("Country or region"), max_length=120),
        "event_start": starts.isoformat() if starts else None,
        "event_end": ends.isoformat() if ends else None,
        "outcome": _text(details, "outcome", errors, _l("Outcome")),
    }


_VALIDATORS = {
    ContributionType.WORKSHOP: _workshop,
    ContributionType.NOMINATION: _nomination,
    ContributionType.EVENT_INPUT: _event_input,
}


def clean_details(kind: ContributionType, details: dict | None) -> tuple[dict, dict]:
    """The type-specific fields normalised for storage, and {field: message} for what is wrong."""
    validator = _VALIDATORS.get(ContributionType(kind))
    if validator is None:
        return {}, {}
    errors: dict = {}
    cleaned = validator(dict(details or {}), errors)
    return cleaned, errors
