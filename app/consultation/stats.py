"""Statistics for the consultation page: counts by type, stakeholder type, action line and region,
with the geometry of a horizontal bar chart drawn as inline SVG beside an accessible table."""

from collections import Counter
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.consultation.models import Contribution, ContributionState, ContributionType
from app.consultation.types import REGIONS, stakeholder_label
from app.extensions import db

BAR_HEIGHT = 22
LABEL_WIDTH = 0.42  # share of the chart given to labels


@dataclass
class Chart:
    key: str
    title: str
    rows: list  # [(label, count)]

    @property
    def total(self) -> int:
        return sum(count for _label, count in self.rows)

    @property
    def height(self) -> int:
        return max(len(self.rows), 1) * BAR_HEIGHT + 4

    def bars(self):
        """(label, count, y, width as a % of the bar area) for each row."""
        highest = max((count for _label, count in self.rows), default=0) or 1
        return [
            (label, count, index * BAR_HEIGHT + 2, round(count / highest * 100 * (1 - LABEL_WIDTH - 0.1), 2))
            for index, (label, count) in enumerate(self.rows)
        ]


def _counted(consultation):
    """Submitted contributions that are still in the process (not drafts, not withdrawn)."""
    return (
        db.session.execute(
            db.select(Contribution).where(
                Contribution.consultation_id == consultation.id,
                Contribution.state.not_in([ContributionState.DRAFT, ContributionState.WITHDRAWN]),
            )
        )
        .scalars()
        .all()
    )


def statistics(consultation) -> list[Chart]:
    contributions = _counted(consultation)
    by_type = Counter(c.type for c in contributions)
    by_stakeholder = Counter(c.stakeholder_type for c in contributions)
    by_region = Counter(c.submitter_region for c in contributions)
    by_line = Counter(line.community.code for c in contributions for line in c.action_lines)
    return [
        Chart("type", _l("By type"), [(t.label, by_type[t.value]) for t in ContributionType]),
        Chart(
            "stakeholder",
            _l("By stakeholder type"),
            [(stakeholder_label(k), n) for k, n in sorted(by_stakeholder.items(), key=lambda kv: -kv[1])],
        ),
        Chart("action_line", _l("By action line"), sorted(by_line.items(), key=_code_order)),
        Chart(
            "region",
            _l("By region"),
            [(label, by_region[key]) for key, label in REGIONS.items() if by_region[key]],
        ),
    ]


def _code_order(item):
    code = item[0]
    digits = "".join(ch for ch in code.split()[0] if ch.isdigit())
    return (int(digits or 0), code)
