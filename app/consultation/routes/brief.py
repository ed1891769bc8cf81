"""The final brief: the published page, the secretariat's drafting page, and the CSV/JSON exports."""

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.communities.models import Community
from app.consultation import exports, services
from app.consultation.forms import BriefIntroForm, BriefItemForm, BriefSectionForm
from app.consultation.models import BriefItem, BriefSection
from app.consultation.routes import bp, find_by_reference, load_consultation
from app.core.permissions import require
from app.core.refusals import write
from app.discussions.models import Thread
from app.extensions import db


def _item_visible(item) -> bool:
    if item.contribution is not None:
        return item.contribution.can_view(current_user)
    return item.thread.can_read(current_user)


@bp.route("/consultations/<slug>/brief")
def brief(slug):
    """The final brief: per section, what each contribution or thread became and why."""
    consultation = load_consultation(slug)
    require(consultation.can_view_brief(current_user), hide=True)
    return render_template("consultation/brief.html", consultation=consultation, item_visible=_item_visible)


def _manage_brief(slug):
    consultation = load_consultation(slug)
    require(consultation.can_manage(current_user))
    return consultation


def render_brief_editor(consultation, status=200, **forms):
    section_form = forms.get("section_form") or BriefSectionForm(formdata=None)
    section_form.community_id.choices = [("", _("— not an action line —"))] + [
        (c.id, c.title())
        for c in db.session.execute(db.select(Community).order_by(Community.position)).scalars()
    ]
    return render_template(
        "consultation/manage/brief.html", consultation=consultation, section_form=section_form,
        intro_form=forms.get("intro_form") or BriefIntroForm(formdata=None, data={"intro": consultation.brief_intro_source}),
        item_form=forms.get("item_form") or BriefItemForm(formdata=None), item_section=forms.get("item_section"),
        blank_item_form=BriefItemForm(formdata=None),
    ), status  # fmt: skip


@bp.route("/consultations/<slug>/brief/edit")
@login_required
def edit_brief(slug):
    """The secretariat drafts the brief: introduction, sections, items with dispositions."""
    return render_brief_editor(_manage_brief(slug))


@bp.route("/consultations/<slug>/brief/intro", methods=["POST"])
@login_required
def brief_intro(slug):
    """Save the brief's introduction."""
    consultation = _manage_brief(slug)
    form = BriefIntroForm()
    return write(
        form,
        lambda: services.set_intro(consultation, current_user, form.intro.data),
        render=lambda: render_brief_editor(consultation, intro_form=form),
        success=url_for("consultation.edit_brief", slug=slug),
    )


@bp.route("/consultations/<slug>/brief/sections", methods=["POST"])
@login_required
def add_section(slug):
    """Add a section (per action line, or for formats, workshops, facilitators, regional inputs)."""
    consultation = _manage_brief(slug)
    form = BriefSectionForm()
    form.community_id.choices = []
    return write(
        form,
        lambda: _add_section(consultation, form),
        render=lambda: render_brief_editor(consultation, section_form=form),
        success=url_for("consultation.edit_brief", slug=slug),
        field_names={"community": "community_id"},
    )


def _add_section(consultation, form) -> None:
    community = db.session.get(Community, form.community_id.data) if form.community_id.data else None
    services.add_section(
        consultation, current_user, form.kind.data, form.title.data, form.body.data, community
    )


def _load_section(consultation, section_id) -> BriefSection:
    section = db.session.get(BriefSection, section_id)
    if section is None or section.consultation_id != consultation.id:
        abort(404)
    return section


@bp.route("/consultations/<slug>/brief/sections/<int:section_id>/delete", methods=["POST"])
@login_required
def delete_section(slug, section_id):
    """Remove a section."""
    consultation = _manage_brief(slug)
    section = _load_section(consultation, section_id)
    return write(
        None,
        lambda: services.delete_section(section, current_user),
        success=url_for("consultation.edit_brief", slug=slug),
    )


@bp.route("/consultations/<slug>/brief/sections/<int:section_id>/items", methods=["POST"])
@login_required
def add_item(slug, section_id):
    """List a contribution or thread in a section with its disposition and rationale."""
    consultation = _manage_brief(slug)
    section = _load_section(consultation, section_id)
    form = BriefItemForm()
    return write(
        form,
        lambda: _add_item(consultation, section, form),
        render=lambda: render_brief_editor(consultation, item_form=form, item_section=section.id),
        success=url_for("consultation.edit_brief", slug=slug, _anchor=f"section-{section.id}"),
        field_names={"target": "reference"},
    )


def _add_item(consultation, section, form) -> None:
    contribution = find_by_reference(consultation, form.reference.data)
    thread = db.session.get(Thread, form.thread_id.data) if form.thread_id.data else None
    if form.reference.data and contribution is None:
        raise services.InvalidInput({"reference": _("No contribution has that reference.")})
    services.add_item(section, current_user, form.disposition.data, form.rationale.data, contribution, thread)


@bp.route("/consultations/<slug>/brief/items/<int:item_id>/delete", methods=["POST"])
@login_required
def remove_item(slug, item_id):
    """Take an item out of the brief."""
    consultation = _manage_brief(slug)
    item = db.session.get(BriefItem, item_id)
    if item is None or item.section.consultation_id != consultation.id:
        abort(404)
    return write(
        None,
        lambda: services.remove_item(item, current_user),
        success=url_for("consultation.edit_brief", slug=slug),
    )


@bp.route("/consultations/<slug>/brief/publish", methods=["POST"])
@bp.route("/consultations/<slug>/brief/unpublish", methods=["POST"], endpoint="unpublish_brief")
@login_required
def publish_brief(slug):
    """Publish the brief, or take it back to draft."""
    consultation = _manage_brief(slug)
    change = services.unpublish if request.endpoint == "consultation.unpublish_brief" else services.publish
    editor = url_for("consultation.edit_brief", slug=slug)
    return write(None, lambda: change(consultation, current_user), success=editor)


@bp.route("/consultations/<slug>/export.<any(csv, json):fmt>")
def export(slug, fmt):
    """Every contribution the viewer may see, with metadata, state history and disposition."""
    consultation = load_consultation(slug)
    if fmt == "csv":
        body, mimetype = exports.as_csv(consultation, current_user), "text/csv"
    else:
        body, mimetype = exports.as_json(consultation, current_user), "application/json"
    filename = f"{consultation.slug}-contributions.{fmt}"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
