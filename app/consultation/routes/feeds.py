"""Atom feeds of a consultation: its contributions as a visitor sees them, and its published brief
(one entry per section, with the items a visitor may see)."""

from flask import abort, url_for
from flask_babel import gettext as _
from markupsafe import escape

from app import feeds
from app.consultation import brief_view
from app.consultation.models import Contribution, visible_contributions_clause
from app.consultation.routes import bp, load_consultation
from app.core.permissions import VISITOR
from app.extensions import db


def _contribution_url(contribution) -> str:
    return url_for(
        "consultation.show_contribution", slug=contribution.consultation.slug,
        contribution_id=contribution.id, _external=True,
    )  # fmt: skip


@bp.route("/consultations/<slug>/contributions.atom")
def contributions_feed(slug):
    """The latest contributions a visitor may read, newest submission first."""
    consultation = load_consultation(slug)
    rows = db.session.execute(
        db.select(Contribution)
        .where(
            Contribution.consultation_id == consultation.id,
            visible_contributions_clause(VISITOR, consultation),
        )
        .order_by(Contribution.submitted_at.desc(), Contribution.id.desc())
        .limit(feeds.ENTRIES_MAX)
    ).scalars()
    entries = [
        feeds.Entry(
            id=_contribution_url(row),
            title=f"{row.reference} · {row.title}" if row.reference else row.title,
            url=_contribution_url(row),
            published=row.submitted_at or row.created_at,
            updated=row.decided_at,
            author=row.submitter_organisation or row.author.name,
            html=row.body_html,
        )  # fmt: skip
        for row in rows
    ]
    return feeds.atom(
        _("%(consultation)s: contributions", consultation=consultation.title),
        url_for("consultation.contributions", slug=consultation.slug, _external=True), entries,
    )  # fmt: skip


@bp.route("/consultations/<slug>/brief.atom")
def brief_feed(slug):
    """The published final brief, a section per entry, and an entry per correction."""
    consultation = load_consultation(slug)
    shown = brief_view.published(consultation, VISITOR)
    if shown is None:
        abort(404)
    page = url_for("consultation.brief", slug=consultation.slug, _external=True)
    first, latest = shown.versions[0], shown.version
    entries = [
        feeds.Entry(
            id=f"{page}#section-{section.id}",
            title=section.title,
            url=f"{page}#section-{section.id}",
            published=first.published_at,
            updated=latest.published_at if latest.number > 1 else None,
            author=consultation.title,
            html=section.body_html
            + "".join(
                f"<h3>{_item_title(item)}</h3><p><strong>{item.disposition_label}</strong></p>{item.rationale_html}"
                for item in section.items
            ),
        )  # fmt: skip
        for section in shown.sections
    ]
    for version in shown.versions[1:]:
        url = url_for(
            "consultation.brief_version", slug=consultation.slug, number=version.number, _external=True
        )
        entries.append(
            feeds.Entry(
                id=url,
                title=_("Version %(number)d", number=version.number),
                url=url,
                published=version.published_at,
                updated=None,
                author=consultation.title,
                html=str(escape(version.note)),
            )  # fmt: skip
        )
    return feeds.atom(_("%(consultation)s: final brief", consultation=consultation.title), page, entries)


def _item_title(item) -> str:
    if item.contribution is not None:
        return str(escape(f"{item.contribution.reference} · {item.contribution.title}"))
    return str(escape(item.thread.title))
