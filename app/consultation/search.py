"""The "contribution" search provider (app/search/registry.py): documents, ids and visibility."""

from sqlalchemy.orm import selectinload

from app.consultation.models import Contribution
from app.consultation.services.contributions import contribution_path
from app.core.text import plain_text
from app.extensions import db
from app.files.services import with_attachments
from app.search.registry import SearchDocument, register_provider

DETAIL_TEXT_FIELDS = (
    "policy_questions",
    "nominee",
    "organisation",
    "bio",
    "event_name",
    "country_region",
    "outcome",
)


def _detail_text(details: dict) -> str:
    parts = [str(details.get(name) or "") for name in DETAIL_TEXT_FIELDS]
    parts += [f"{s.get('name', '')} {s.get('organisation', '')}" for s in details.get("speakers") or []]
    return " ".join(part for part in parts if part)


def document_for(contribution, has_files: bool = False) -> SearchDocument:
    """A contribution as the search index sees it (private ones too: results are filtered by `visible`)."""
    text = " ".join(
        part
        for part in (
            contribution.summary,
            plain_text(contribution.body_source),
            _detail_text(contribution.details),
        )
        if part
    )
    return SearchDocument(
        type="contribution",
        id=contribution.id,
        title=f"{contribution.reference}: {contribution.title}"
        if contribution.reference
        else contribution.title,
        text=text,
        language=contribution.language,
        community_ids=contribution.community_ids,
        author_username=contribution.author.username,
        created_at=contribution.submitted_at or contribution.created_at,
        url=contribution_path(contribution),
        status=contribution.state,
        thread_id=contribution.thread_id,
        extra={"reference": contribution.reference, "contribution_type": contribution.type},
        has=("attachment",) if has_files else (),
    )


class ContributionProvider:
    """Drafts and private contributions are indexed too: every hit is checked with `visible()`, for
    the results and for the facet counts (`readable_by_community` is not set)."""

    type_name = "contribution"

    def _load(self, ids, *options):
        ids = [int(i) for i in ids]
        rows = []
        for start in range(0, len(ids), 500):
            statement = db.select(Contribution).where(Contribution.id.in_(ids[start : start + 500]))
            rows += db.session.execute(statement.options(*options)).scalars().all()
        return rows

    def documents(self, ids: list[int]) -> list[SearchDocument]:
        """Documents for the contributions that still exist."""
        contributions = self._load(ids)
        with_files = with_attachments("contribution", [contribution.id for contribution in contributions])
        return [document_for(contribution, contribution.id in with_files) for contribution in contributions]

    def all_ids(self):
        return db.session.execute(db.select(Contribution.id).order_by(Contribution.id)).scalars().all()

    def visible(self, user, ids: list[int]) -> set[int]:
        """The same rule as the contribution page: `Contribution.can_view`."""
        rows = self._load(ids, selectinload(Contribution.reviews))  # can_view reads the assignments
        return {contribution.id for contribution in rows if contribution.can_view(user)}


def register() -> None:
    register_provider(ContributionProvider())
