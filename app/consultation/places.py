"""Where the consultation meets drafts and supports: a contribution being written (new, of each kind,
or edited) is a place for drafts, and a public contribution is an item members support."""

from flask import url_for

from app import drafts
from app.consultation.models import Consultation, Contribution, ContributionType
from app.extensions import db
from app.supports import services as supports


def _consultation(consultation_id: int) -> Consultation | None:
    return db.session.get(Consultation, consultation_id)


def _contribution(contribution_id: int) -> Contribution | None:
    return db.session.get(Contribution, contribution_id)


def _url(contribution) -> str:
    return url_for(
        "consultation.show_contribution", slug=contribution.consultation.slug,
        contribution_id=contribution.id, _anchor="supports",
    )  # fmt: skip


def register() -> None:
    for kind in ContributionType:
        drafts.register_place(
            f"contribution-{kind.value}",
            _consultation,
            lambda consultation, user: consultation.can_contribute(user),
        )
    drafts.register_place(
        "contribution", _contribution, lambda contribution, user: contribution.can_edit(user)
    )
    supports.register_target(
        "contribution", load=_contribution,
        can_view=lambda contribution, user: contribution.can_view(user),
        can_support=lambda contribution, user: contribution.can_support(user),
        is_open=lambda contribution: contribution.consultation.supports_open(),
        community_id=lambda contribution: None, url=_url,
    )  # fmt: skip
