"""Statistics for the consultation page: counts by type, stakeholder type, action line and region,
with the geometry of a horizontal bar chart drawn as inline SVG beside an accessible table."""

from collections import Counter
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.consultation.models import Contribution, ContributionState, ContributionType
from app.consultation.types import REGIONS, stakeholder_label
from app.extensions import db
from app.supports import services as supports

BAR_HEIGHT = 24
CHART_WIDTH = 400  # SVG user units; the SVG scales to its box
LABEL_WIDTH = 170
BAR_AREA = 190
LABEL_CHARS = 26


@dataclass
class Chart:
    key: str
    title: str
    rows: list  # [(label, count)]

    @property
    def total(self) -> int:
        return sum(count for _label, count in self.rows)

    width = CHART_WIDTH
    label_width = LABEL_WIDTH

    @property
    def height(self) -> int:
        return max(len(self.rows), 1) * BAR_HEIGHT + 4

    def bars(self):
        """Each row as a dict: label (shortened), full label, count, y and bar width in SVG units."""
        highest = max((count for _label, count in self.rows), default=0) or 1
        bars = []
        for index, (label, count) in enumerate(self.rows):
            text = str(label)
            short = text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"
            width = round(count / highest * BAR_AREA, 1)
            bars.append(
                {"label": short, "full": text, "count": count, "y": index * BAR_HEIGHT + 2, "width": width}
            )
        return bars


def counted_contributions(consultation):
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


def statistics(consultation, contributions=None) -> list[Chart]:
    """The charts of `contributions` (by default the consultation's counted ones)."""
    contributions = counted_contributions(consultation) if contributions is None else contributions
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
        supports_chart(contributions),
    ]


def supports_chart(contributions) -> Chart:
    """Supports given to the public contributions, by the supporters' stakeholder group."""
    tallies = supports.tallies("contribution", [c.id for c in contributions if c.kind.is_public])
    by_group: Counter = Counter()
    for tally in tallies.values():
        by_group.update(tally.by_group)
    groups = [*supports.STAKEHOLDER_ORDER, supports.UNSTATED]
    return Chart(
        "supports", _l("Supports by stakeholder group"),
        [(supports.group_label(group), by_group[group]) for group in groups if by_group[group]],
    )  # fmt: skip


def _code_order(item):
    code = item[0]
    digits = "".join(ch for ch in code.split()[0] if ch.isdigit())
    return (int(digits or 0), code)
