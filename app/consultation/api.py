"""Consultations in the JSON API (/api/v1): phases, contributions (the public ones, and the reader's
own drafts), meetings, the published brief and the statistics; supports and submitting a draft.

What each reader gets is what the pages show them: `visible_contributions_clause` and
`Contribution.can_view` for contributions, `can_view_brief` and `BriefItem.can_view` for the brief,
`can_see_remote_link` for a meeting's link, `can_see_response` for the official response.
"""

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from app import api
from app.communities.models import Community
from app.consultation import brief_view
from app.consultation.models import Consultation, Contribution, Meeting, visible_contributions_clause
from app.consultation.services import contributions as contribution_services
from app.consultation.stats import statistics
from app.core.database import MAX_ID
from app.extensions import db
from app.supports import services as supports

blp = api.Blueprint(
    "consultations_api", __name__, description="Consultations, contributions and the final brief."
)

PAGE_MAX = 100


class PhaseSchema(Schema):
    title = fields.String(required=True)
    kind = fields.String(required=True)
    starts_at = api.UTCDateTime(required=True)
    ends_at = api.UTCDateTime(allow_none=True, required=True)
    status = fields.String(required=True, metadata={"description": "past, current or upcoming"})


class ConsultationSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    description_html = fields.String(required=True)
    time_zone = fields.String(required=True)
    submissions = fields.String(required=True, metadata={"description": "not_open, open or closed"})
    deadline = api.UTCDateTime(allow_none=True, required=True)
    phases = fields.List(fields.Nested(PhaseSchema), required=True)
    brief_published_at = api.UTCDateTime(allow_none=True, required=True)
    url = fields.String(required=True)


class ConsultationListSchema(Schema):
    items = fields.List(fields.Nested(ConsultationSchema), required=True)


class ContributionSchema(Schema):
    id = fields.Integer(required=True)
    reference = fields.String(allow_none=True, required=True)
    type = fields.String(required=True)
    state = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    body_html = fields.String(required=True)
    author = fields.String(required=True)
    stakeholder_group = fields.String(allow_none=True, required=True)
    region = fields.String(required=True)
    action_lines = fields.List(fields.String(), required=True)
    submitted_at = api.UTCDateTime(allow_none=True, required=True)
    response_html = fields.String(allow_none=True, required=True)
    supports = fields.Integer(
        allow_none=True, required=True, metadata={"description": "Public contributions only."}
    )
    supported_by_me = fields.Boolean(required=True)
    thread_id = fields.Integer(allow_none=True, required=True)
    url = fields.String(required=True)


class ContributionPageSchema(Schema):
    items = fields.List(fields.Nested(ContributionSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class ContributionArgs(Schema):
    mine = fields.Boolean(
        load_default=False, metadata={"description": "Only the reader's own, drafts included."}
    )
    cursor = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=PAGE_MAX))


class MeetingSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    format = fields.String(required=True)
    place = fields.String(required=True)
    starts_at = api.UTCDateTime(required=True)
    ends_at = api.UTCDateTime(required=True)
    status = fields.String(required=True)
    places_left = fields.Integer(allow_none=True, required=True)
    attendance = fields.Integer(
        allow_none=True, required=True, metadata={"description": "Once it has ended."}
    )
    agenda_html = fields.String(required=True)
    minutes_html = fields.String(allow_none=True, required=True)
    remote_url = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Only for those registered to attend remotely, and staff."},
    )


class MeetingListSchema(Schema):
    items = fields.List(fields.Nested(MeetingSchema), required=True)


class BriefItemSchema(Schema):
    disposition = fields.String(required=True)
    rationale_html = fields.String(required=True)
    contribution_id = fields.Integer(allow_none=True, required=True)
    thread_id = fields.Integer(allow_none=True, required=True)


class BriefSectionSchema(Schema):
    kind = fields.String(required=True)
    title = fields.String(required=True)
    body_html = fields.String(required=True)
    action_line = fields.String(allow_none=True, required=True)
    items = fields.List(fields.Nested(BriefItemSchema), required=True)


class BriefVersionSchema(Schema):
    number = fields.Integer(required=True)
    published_at = api.UTCDateTime(required=True)
    note = fields.String(
        required=True, metadata={"description": "What a correction changed (empty for the first)."}
    )


class BriefSchema(Schema):
    published_at = api.UTCDateTime(allow_none=True, required=True)
    version = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "The version shown; null for the secretariat's draft."},
    )
    versions = fields.List(fields.Nested(BriefVersionSchema), required=True)
    intro_html = fields.String(required=True)
    sections = fields.List(fields.Nested(BriefSectionSchema), required=True)


class ChartRowSchema(Schema):
    label = fields.String(required=True)
    count = fields.Integer(required=True)


class ChartSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    rows = fields.List(fields.Nested(ChartRowSchema), required=True)


class StatisticsSchema(Schema):
    charts = fields.List(fields.Nested(ChartSchema), required=True)


# Loading ------------------------------------------------------------------------------------------


def _consultation(slug: str) -> Consultation:
    found = db.session.execute(db.select(Consultation).filter_by(slug=slug)).scalar_one_or_none()
    if found is None:
        abort(404, message=_("No such consultation."))
    return found


def _contribution(contribution_id: int) -> Contribution:
    found = db.session.get(Contribution, contribution_id)
    if found is None or not found.can_view(current_user):
        abort(404, message=_("No such contribution."))
    return found


def _consultation_dict(consultation: Consultation) -> dict:
    return {
        "slug": consultation.slug, "title": consultation.title, "description_html": consultation.description_html,
        "time_zone": consultation.time_zone, "submissions": consultation.submission_window(),
        "deadline": consultation.submission_deadline, "brief_published_at": consultation.brief_published_at,
        "phases": [
            {"title": view.phase.title, "kind": view.phase.kind, "starts_at": view.phase.starts_at,
             "ends_at": view.phase.ends_at, "status": view.status}
            for view in consultation.timeline()
        ],
        "url": url_for("consultation.show", slug=consultation.slug, _external=True),
    }  # fmt: skip


def _contribution_dicts(rows: list[Contribution]) -> list[dict]:
    public = [row.id for row in rows if row.kind.is_public]
    tallies = supports.tallies("contribution", public)
    mine = supports.supported_by("contribution", public, current_user)
    return [
        {
            "id": row.id,
            "reference": row.reference,
            "type": row.type,
            "state": row.state,
            "title": row.title,
            "summary": row.summary,
            "body_html": row.body_html,
            "author": row.author.username,
            "stakeholder_group": row.stakeholder_type or None,
            "region": row.submitter_region,
            "action_lines": [line.community.slug for line in row.action_lines],
            "submitted_at": row.submitted_at,
            "response_html": row.response_html if row.can_see_response(current_user) else None,
            "supports": tallies[row.id].total if row.id in tallies else None,
            "supported_by_me": row.id in mine,
            "thread_id": row.thread_id
            if row.thread is not None and row.thread.can_read(current_user)
            else None,
            "url": url_for(
                "consultation.show_contribution",
                slug=row.consultation.slug,
                contribution_id=row.id,
                _external=True,
            ),
        }  # fmt: skip
        for row in rows
    ]


# Reading ------------------------------------------------------------------------------------------


@blp.route("/consultations", methods=["GET"])
@blp.response(200, ConsultationListSchema)
def consultations():
    """Every consultation with its phases, newest first."""
    api.require_read()
    rows = db.session.execute(db.select(Consultation).order_by(Consultation.created_at.desc())).scalars()
    return {"items": [_consultation_dict(row) for row in rows]}


@blp.route("/consultations/<slug>", methods=["GET"])
@blp.response(200, ConsultationSchema)
def consultation(slug):
    """One consultation: its phases (past, current, upcoming) and whether submissions are open."""
    api.require_read()
    return _consultation_dict(_consultation(slug))


@blp.route("/consultations/<slug>/contributions", methods=["GET"])
@blp.arguments(ContributionArgs, location="query")
@blp.response(200, ContributionPageSchema)
def contributions(args, slug):
    """The contributions the reader may see, oldest first; `mine=true` gives their own, drafts too."""
    api.require_read()
    found = _consultation(slug)
    query = db.select(Contribution).where(
        Contribution.consultation_id == found.id, visible_contributions_clause(current_user, found)
    )
    if args["mine"]:
        if not current_user.is_authenticated:
            abort(401, message=_("Sign in or send an access token to see your own contributions."))
        query = query.where(Contribution.author_id == current_user.id)
    if args["cursor"] is not None:
        query = query.where(Contribution.id > args["cursor"])
    rows = list(db.session.execute(query.order_by(Contribution.id).limit(args["limit"] + 1)).scalars())
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    return {"items": _contribution_dicts(rows), "next_cursor": str(rows[-1].id) if more else None}


@blp.route("/contributions/<int:contribution_id>", methods=["GET"])
@blp.response(200, ContributionSchema)
def contribution(contribution_id):
    """One contribution the reader may see."""
    api.require_read()
    return _contribution_dicts([_contribution(contribution_id)])[0]


@blp.route("/consultations/<slug>/meetings", methods=["GET"])
@blp.response(200, MeetingListSchema)
def meetings(slug):
    """The consultation's meetings in time order; the remote link only for those who may join."""
    api.require_read()
    found = _consultation(slug)
    rows = db.session.execute(
        db.select(Meeting).filter_by(consultation_id=found.id).order_by(Meeting.starts_at)
    ).scalars()
    return {
        "items": [
            {
                "id": meeting.id,
                "title": meeting.title,
                "format": meeting.format,
                "place": meeting.place,
                "starts_at": meeting.starts_at,
                "ends_at": meeting.ends_at,
                "status": meeting.status(),
                "places_left": meeting.places_left,
                "agenda_html": meeting.agenda_html,
                "attendance": meeting.attendance_count if meeting.status() == "past" else None,
                "minutes_html": meeting.minutes_html if meeting.minutes_published_at else None,
                "remote_url": meeting.remote_url if meeting.can_see_remote_link(current_user) else None,
            }  # fmt: skip
            for meeting in rows
        ]
    }


@blp.route("/consultations/<slug>/brief", methods=["GET"])
@blp.response(200, BriefSchema)
def brief(slug):
    """The published final brief: each section with the items the reader may see."""
    api.require_read()
    found = _consultation(slug)
    if not found.can_view_brief(current_user):
        abort(404, message=_("The brief is not published yet."))
    shown = brief_view.for_reader(found, current_user)
    communities = dict(
        db.session.execute(
            db.select(Community.id, Community.slug).where(
                Community.id.in_([section.community_id for section in shown.sections if section.community_id])
            )
        ).all()
    )
    return {
        "published_at": found.brief_published_at, "version": shown.version.number if shown.version else None,
        "versions": [{"number": v.number, "published_at": v.published_at, "note": v.note} for v in shown.versions],
        "intro_html": shown.intro_html,
        "sections": [
            {"kind": section.kind, "title": section.title, "body_html": section.body_html,
             "action_line": communities.get(section.community_id),
             "items": [{"disposition": item.disposition, "rationale_html": item.rationale_html,
                        "contribution_id": item.contribution.id if item.contribution else None,
                        "thread_id": item.thread.id if item.thread else None}
                       for item in section.items]}
            for section in shown.sections
        ],
    }  # fmt: skip


@blp.route("/consultations/<slug>/statistics", methods=["GET"])
@blp.response(200, StatisticsSchema)
def consultation_statistics(slug):
    """Contributions by type, stakeholder group, action line and region, and supports by group."""
    api.require_read()
    charts = statistics(_consultation(slug))
    return {
        "charts": [
            {
                "key": chart.key,
                "title": str(chart.title),
                "rows": [{"label": str(label), "count": count} for label, count in chart.rows],
            }
            for chart in charts
        ]
    }


# Writing ------------------------------------------------------------------------------------------


@blp.route("/contributions/<int:contribution_id>/support", methods=["PUT"])
@blp.response(200, ContributionSchema)
def support(contribution_id):
    """Support a public contribution (once; refused once supports have closed)."""
    api.require_scope("write")
    found = _contribution(contribution_id)
    if not found.can_support(current_user):
        abort(403, message=_("You may not support this contribution."))
    member = current_user._get_current_object()
    api.perform(lambda: supports.support("contribution", found, member))
    return _contribution_dicts([found])[0]


@blp.route("/contributions/<int:contribution_id>/support", methods=["DELETE"])
@blp.response(200, ContributionSchema)
def withdraw_support(contribution_id):
    """Withdraw one's support while supports are open."""
    api.require_scope("write")
    found = _contribution(contribution_id)
    member = current_user._get_current_object()
    if not api.perform(lambda: supports.withdraw("contribution", found, member)):
        abort(409, message=_("Supports are closed: the count no longer changes."))
    return _contribution_dicts([found])[0]


@blp.route("/contributions/<int:contribution_id>/submit", methods=["POST"])
@blp.response(200, ContributionSchema)
def submit(contribution_id):
    """Submit one's draft before the deadline (it gets its reference number and discussion)."""
    api.require_scope("consultation")
    found = _contribution(contribution_id)
    if not found.can("submit", current_user):
        abort(403, message=_("You may not submit this contribution now."))
    member = current_user._get_current_object()
    api.perform(lambda: contribution_services.submit(found, member))
    return _contribution_dicts([found])[0]


def register(app) -> None:
    api.register(app, blp)
    api.register_path_example("contribution_id", 1)
