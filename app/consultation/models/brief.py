"""The final brief: sections, each listing the contributions and threads it draws on and how each
was handled (its disposition) and why."""

import enum
import json

from flask_babel import lazy_gettext as _l

from app.consultation.models.consultation import _values
from app.extensions import db


class SectionKind(enum.StrEnum):
    ACTION_LINE = "action_line"
    FORMAT_INNOVATIONS = "format_innovations"
    WORKSHOPS = "workshops"
    FACILITATORS = "facilitators"
    REGIONAL_INPUTS = "regional_inputs"

    @property
    def label(self):
        return {
            SectionKind.ACTION_LINE: _l("Action line"),
            SectionKind.FORMAT_INNOVATIONS: _l("Format innovations"),
            SectionKind.WORKSHOPS: _l("Workshops"),
            SectionKind.FACILITATORS: _l("High-level track facilitators"),
            SectionKind.REGIONAL_INPUTS: _l("Regional and national inputs"),
        }[self]


class Disposition(enum.StrEnum):
    INCORPORATED = "incorporated"
    PARTIALLY = "partially"
    NOTED = "noted"
    NOT_INCORPORATED = "not_incorporated"

    @property
    def label(self):
        return {
            Disposition.INCORPORATED: _l("Incorporated"),
            Disposition.PARTIALLY: _l("Partially incorporated"),
            Disposition.NOTED: _l("Noted"),
            Disposition.NOT_INCORPORATED: _l("Not incorporated"),
        }[self]


class BriefSection(db.Model):
    __tablename__ = "brief_sections"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(
        db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = db.Column(db.String(24), nullable=False)
    community_id = db.Column(db.Integer, db.ForeignKey("communities.id"), nullable=True)
    title = db.Column(db.String(200), nullable=False)
    body_source = db.Column(db.Text, nullable=False, default="")
    body_html = db.Column(db.Text, nullable=False, default="")
    position = db.Column(db.Integer, nullable=False, default=0)

    consultation = db.relationship(
        "Consultation", backref=db.backref("brief_sections", order_by="BriefSection.position")
    )
    community = db.relationship("Community")
    items = db.relationship("BriefItem", order_by="BriefItem.position", cascade="all, delete-orphan")

    __table_args__ = (
        db.CheckConstraint(f"kind in ({_values(SectionKind)})", name="kind"),
        db.CheckConstraint(
            "(kind = 'action_line') = (community_id is not null)", name="action_line_community"
        ),
    )

    @property
    def kind_label(self):
        return SectionKind(self.kind).label


class BriefItem(db.Model):
    __tablename__ = "brief_items"

    id = db.Column(db.Integer, primary_key=True)
    section_id = db.Column(
        db.Integer, db.ForeignKey("brief_sections.id", ondelete="CASCADE"), nullable=False, index=True
    )
    contribution_id = db.Column(
        db.Integer, db.ForeignKey("contributions.id", ondelete="CASCADE"), nullable=True
    )
    thread_id = db.Column(db.Integer, db.ForeignKey("threads.id", ondelete="CASCADE"), nullable=True)
    disposition = db.Column(db.String(24), nullable=False)
    rationale_source = db.Column(db.Text, nullable=False)
    rationale_html = db.Column(db.Text, nullable=False)
    position = db.Column(db.Integer, nullable=False, default=0)

    section = db.relationship("BriefSection", back_populates="items")
    contribution = db.relationship("Contribution")
    thread = db.relationship("Thread")

    __table_args__ = (
        db.CheckConstraint("(contribution_id is null) != (thread_id is null)", name="one_target"),
        db.CheckConstraint(f"disposition in ({_values(Disposition)})", name="disposition"),
    )

    def can_view(self, user) -> bool:
        """Shown to whoever may see the contribution or read the thread it is about."""
        if self.contribution is not None:
            return self.contribution.can_view(user)
        return self.thread.can_read(user)

    @property
    def disposition_label(self):
        return Disposition(self.disposition).label


class BriefVersion(db.Model):
    """A published state of the brief, kept as it was: publishing makes version 1, each correction
    the next one with a note of what changed. The page shows the latest; earlier ones stay readable.

    `content_json` holds the introduction and sections with their items (targets by id, disposition,
    rationale); who may see an item is still asked of its contribution or thread when it is shown."""

    __tablename__ = "brief_versions"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(
        db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number = db.Column(db.Integer, nullable=False)
    published_at = db.Column(db.DateTime, nullable=False)
    published_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    note = db.Column(db.Text, nullable=False, default="")
    content_json = db.Column(db.Text, nullable=False)

    consultation = db.relationship(
        "Consultation", backref=db.backref("brief_versions", order_by="BriefVersion.number")
    )

    __table_args__ = (db.UniqueConstraint("consultation_id", "number", name="uq_brief_versions_number"),)

    @property
    def content(self) -> dict:
        return json.loads(self.content_json)
