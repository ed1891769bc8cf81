"""Consultations, their phases and roles: administrators' actions, each logged in the audit trail."""

import logging
import re

from flask_babel import lazy_gettext as _l

from app.consultation.models import Consultation, ConsultationRole, Phase, PhaseKind, Role
from app.consultation.services.errors import ConsultationError, InvalidInput
from app.consultation.timezones import canonical_zone, is_valid_zone
from app.core.audit import record
from app.core.text import render_markdown
from app.extensions import db

logger = logging.getLogger(__name__)
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")
PREFIX_RE = re.compile(r"^[A-Z0-9]{2,16}$")
CONSULTATION_FIELDS = ("slug", "title", "description", "time_zone", "time_zone_label", "reference_prefix")


def _consultation_dict(consultation) -> dict:
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "description": consultation.description_source,
        "time_zone": consultation.time_zone,
        "time_zone_label": consultation.time_zone_label,
        "reference_prefix": consultation.reference_prefix,
    }


def _check_consultation(values: dict, existing=None) -> None:
    errors = {}
    if not SLUG_RE.match(values["slug"] or ""):
        errors["slug"] = _l("3 to 80 lower-case letters, digits or hyphens.")
    else:
        other = db.session.execute(
            db.select(Consultation).filter_by(slug=values["slug"])
        ).scalar_one_or_none()
        if other is not None and other is not existing:
            errors["slug"] = _l("Another consultation already uses this address.")
    if not (values["title"] or "").strip():
        errors["title"] = _l("Give the consultation a title.")
    if not is_valid_zone(values["time_zone"]):
        errors["time_zone"] = _l("Use an IANA time zone name such as Europe/Geneva.")
    if not PREFIX_RE.match(values["reference_prefix"] or ""):
        errors["reference_prefix"] = _l("2 to 16 capital letters or digits, such as WSIS17.")
    if errors:
        raise InvalidInput(errors)


def _apply_consultation(consultation, values: dict) -> None:
    consultation.slug = values["slug"]
    consultation.title = values["title"].strip()
    consultation.description_source = values["description"] or ""
    consultation.description_html = render_markdown(values["description"] or "")
    consultation.time_zone = canonical_zone(values["time_zone"])
    consultation.time_zone_label = (values.get("time_zone_label") or "").strip()
    consultation.reference_prefix = values["reference_prefix"]


def create_consultation(actor, **values) -> Consultation:
    """Create a consultation (slug, title, description, time_zone, time_zone_label, reference_prefix)."""
    _check_consultation(values)
    consultation = Consultation(created_by_id=getattr(actor, "id", None))
    _apply_consultation(consultation, values)
    db.session.add(consultation)
    db.session.flush()
    record(
        actor, "consultation.create", "consultation", consultation.id, after=_consultation_dict(consultation)
    )
    logger.info("Consultation %s created by %s", consultation, actor)
    return consultation


def update_consultation(consultation, actor, **values) -> None:
    """Change a consultation's settings; the audit row keeps what they were."""
    _check_consultation(values, existing=consultation)
    before = _consultation_dict(consultation)
    _apply_consultation(consultation, values)
    db.session.flush()
    record(
        actor,
        "consultation.update",
        "consultation",
        consultation.id,
        before=before,
        after=_consultation_dict(consultation),
    )


def _check_phase(values: dict) -> None:
    errors = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _l("Give the phase a title.")
    if values.get("kind") not in set(PhaseKind):
        errors["kind"] = _l("Choose a kind of phase.")
    if values.get("starts_at") is None:
        errors["starts_at"] = _l("Give a start date and time.")
    elif values.get("ends_at") is not None and values["ends_at"] <= values["starts_at"]:
        errors["ends_at"] = _l("The end must come after the start.")
    if errors:
        raise InvalidInput(errors)


def _apply_phase(phase, values: dict) -> None:
    phase.title = values["title"].strip()
    phase.description = (values.get("description") or "").strip()
    phase.kind = values["kind"]
    phase.starts_at = values["starts_at"]
    phase.ends_at = values.get("ends_at")
    phase.all_day = bool(values.get("all_day"))
    phase.location = (values.get("location") or "").strip()


def add_phase(consultation, actor, reason="", **values) -> Phase:
    """Add a dated phase (title, description, kind, starts_at, ends_at, all_day, location; naive UTC)."""
    _check_phase(values)
    phase = Phase(consultation=consultation)
    _apply_phase(phase, values)
    db.session.add(phase)
    db.session.flush()
    record(actor, "phase.create", "phase", phase.id, reason=reason, after=phase.as_dict())
    db.session.expire(consultation, ["phases"])
    return phase


def update_phase(phase, actor, reason="", **values) -> None:
    """Change a phase; dates are indicative and move, so each change is logged with before/after."""
    _check_phase(values)
    before = phase.as_dict()
    _apply_phase(phase, values)
    db.session.flush()
    record(actor, "phase.update", "phase", phase.id, reason=reason, before=before, after=phase.as_dict())
    db.session.expire(phase.consultation, ["phases"])
    logger.info("Phase %s changed by %s", phase.id, actor)


def delete_phase(phase, actor, reason="") -> None:
    """Remove a phase (its meetings stay, unattached)."""
    consultation = phase.consultation
    record(actor, "phase.delete", "phase", phase.id, reason=reason, before=phase.as_dict())
    db.session.delete(phase)
    db.session.flush()
    db.session.expire(consultation, ["phases"])


def _forget_roles(user) -> None:
    user.__dict__.pop("_consultation_roles", None)


def grant_role(consultation, actor, user, role: str) -> ConsultationRole:
    """Give `user` the secretariat or reviewer role in this consultation."""
    if role not in set(Role):
        raise ConsultationError(_l("Unknown role."), field="role")
    existing = db.session.get(ConsultationRole, (consultation.id, user.id, role))
    if existing is not None:
        raise ConsultationError(_l("%(user)s already has that role.", user=user.username), field="username")
    grant = ConsultationRole(consultation_id=consultation.id, user_id=user.id, role=role)
    db.session.add(grant)
    db.session.flush()
    _forget_roles(user)
    record(
        actor,
        "consultation.grant_role",
        "consultation",
        consultation.id,
        after={"user": user.username, "role": role},
    )
    return grant


def revoke_role(consultation, actor, user, role: str) -> None:
    """Take a role away."""
    grant = db.session.get(ConsultationRole, (consultation.id, user.id, role))
    if grant is None:
        raise ConsultationError(_l("%(user)s does not have that role.", user=user.username))
    db.session.delete(grant)
    db.session.flush()
    _forget_roles(user)
    record(
        actor,
        "consultation.revoke_role",
        "consultation",
        consultation.id,
        before={"user": user.username, "role": role},
    )
