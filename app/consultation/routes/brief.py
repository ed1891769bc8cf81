"""The final brief: the published page, the secretariat's drafting page, and the CSV/JSON exports."""

from io import BytesIO

from flask import Response, abort, current_app, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.communities.models import Community
from app.consultation import archive, brief_view, exports, services, stats
from app.consultation import brief_pdf as brief_pdf_renderer
from app.consultation.forms import (
    BriefCorrectionForm,
    BriefIntroForm,
    BriefItemChangeForm,
    BriefItemForm,
    BriefSectionForm,
)
from app.consultation.models import BriefItem, BriefSection
from app.consultation.routes import bp, find_by_reference, load_consultation, owned_or_404
from app.core.actions import FormActions
from app.core.permissions import require
from app.core.ratelimits import per_member
from app.discussions.models import Thread
from app.extensions import db
from app.files import services as files
from app.supports import services as supports


def _document_parts(consultation, brief) -> dict:
    """What the brief's document needs beside the brief: figures, charts, files and supports."""
    contribution_ids = [item.contribution.id for item in brief.items if item.contribution]
    counted = stats.counted_contributions(consultation)
    return {
        "figures": brief_view.headline(brief, counted), "charts": stats.statistics(consultation, counted),
        "item_files": files.attachments_of("contribution", contribution_ids),
        "item_supports": {
            item_id: tally for item_id, tally in supports.tallies("contribution", contribution_ids).items()
            if tally.total
        },
    }  # fmt: skip


@bp.route("/consultations/<slug>/brief")
def brief(slug):
    """The final brief: its latest published version (the secretariat's draft until then)."""
    consultation = load_consultation(slug)
    require(consultation.can_view_brief(current_user), hide=True)
    shown = brief_view.for_reader(consultation, current_user)
    unpublished = (
        not shown.is_draft
        and consultation.can_manage(current_user)
        and services.has_unpublished_changes(consultation)
    )
    return render_template(
        "consultation/brief.html", consultation=consultation, brief=shown, unpublished_changes=unpublished,
        **_document_parts(consultation, shown),
    )  # fmt: skip


def _published_version(consultation, number):
    require(consultation.can_view_brief(current_user), hide=True)
    shown = brief_view.published(consultation, current_user, number)
    if shown is None:
        abort(404)
    return shown


@bp.route("/consultations/<slug>/brief/versions/<int:number>")
def brief_version(slug, number):
    """One published version of the brief, with what changed from the version before it."""
    consultation = load_consultation(slug)
    shown = _published_version(consultation, number)
    previous = brief_view.published(consultation, current_user, number - 1) if number > 1 else None
    return render_template(
        "consultation/brief_version.html", consultation=consultation, brief=shown, previous=previous,
        changes=brief_view.changes(previous, shown) if previous else [], **_document_parts(consultation, shown),
    )  # fmt: skip


@bp.route("/consultations/<slug>/brief.pdf")
@bp.route("/consultations/<slug>/brief/versions/<int:number>.pdf")
@per_member(lambda: current_app.config["RATELIMIT_PDF"])
def brief_pdf(slug, number=None):
    """The published brief as a PDF in the reader's language: contents, page numbers, charts."""
    consultation = load_consultation(slug)
    shown = _published_version(consultation, number)
    html = render_template(
        "consultation/brief_pdf.html",
        consultation=consultation,
        brief=shown,
        **_document_parts(consultation, shown),
    )
    try:
        document = brief_pdf_renderer.render(html)
    except brief_pdf_renderer.PdfUnavailable:
        abort(
            503,
            description=_(
                "PDF files cannot be made on this server just now; the page itself has everything."
            ),
        )
    name = f"{consultation.slug}-brief-v{shown.version.number}-{get_locale()}.pdf"
    return send_file(BytesIO(document), mimetype="application/pdf", download_name=name, max_age=0)


def _manage_brief(slug):
    consultation = load_consultation(slug)
    require(consultation.can_manage(current_user))
    return consultation


def _refused_section(forms):
    """The section whose "Add an item" form is shown again, open, with what was typed."""
    return (request.view_args or {}).get("section_id") if "item_form" in forms else None


def _refused_item(forms):
    """The item whose "Change" form is shown again, open, with what was typed."""
    return (request.view_args or {}).get("item_id") if "change_form" in forms else None


def render_brief_editor(consultation, status=200, **forms):
    section_form = forms.get("section_form") or BriefSectionForm(formdata=None)
    section_form.community_id.choices = [("", _("— not an action line —"))] + [
        (c.id, c.title())
        for c in db.session.execute(db.select(Community).order_by(Community.position)).scalars()
    ]
    return render_template(
        "consultation/manage/brief.html", consultation=consultation, section_form=section_form,
        intro_form=forms.get("intro_form") or BriefIntroForm(formdata=None, data={"intro": consultation.brief_intro_source}),
        item_form=forms.get("item_form") or BriefItemForm(formdata=None), item_section=_refused_section(forms),
        blank_item_form=BriefItemForm(formdata=None),
        change_form=forms.get("change_form"), changed_item=_refused_item(forms),
        change_form_for=lambda item: _change_form(item.id, item),
        correction_form=forms.get("correction_form") or BriefCorrectionForm(formdata=None),
        latest_version=services.latest_version(consultation),
        unpublished_changes=services.has_unpublished_changes(consultation),
    ), status  # fmt: skip


@bp.route("/consultations/<slug>/brief/edit")
@login_required
def edit_brief(slug):
    """The secretariat drafts the brief: introduction, sections, items with dispositions."""
    return render_brief_editor(_manage_brief(slug))


def _add_section(consultation, form) -> None:
    community = db.session.get(Community, form.community_id.data) if form.community_id.data else None
    services.add_section(
        consultation, current_user, form.kind.data, form.title.data, form.body.data, community
    )


def _section_form(_consultation) -> BriefSectionForm:
    form = BriefSectionForm()
    form.community_id.choices = []
    return form


def _load_section(consultation, section_id) -> BriefSection:
    return owned_or_404(BriefSection, consultation, section_id)


def _add_item(consultation, form, section_id) -> None:
    section = _load_section(consultation, section_id)
    contribution = find_by_reference(consultation, form.reference.data)
    thread = db.session.get(Thread, form.thread_id.data) if form.thread_id.data else None
    if form.reference.data and contribution is None:
        raise services.InvalidInput({"reference": _("No contribution has that reference.")})
    services.add_item(section, current_user, form.disposition.data, form.rationale.data, contribution, thread)


def _load_item(consultation, item_id) -> BriefItem:
    item = db.session.get(BriefItem, item_id)
    if item is None or item.section.consultation_id != consultation.id:
        abort(404)
    return item


def _remove_item(consultation, _form, item_id) -> None:
    services.remove_item(_load_item(consultation, item_id), current_user)


def _change_form(item_id: int, item=None) -> BriefItemChangeForm:
    """An item's "Edit" form; its fields are named after the item, as the page holds one per item."""
    if item is None:
        return BriefItemChangeForm(prefix=f"item-{item_id}")
    return BriefItemChangeForm(
        formdata=None,
        prefix=f"item-{item_id}",
        data={"disposition": item.disposition, "rationale": item.rationale_source},
    )


def _change_item(consultation, form, item_id) -> None:
    item = _load_item(consultation, item_id)
    services.change_item(item, current_user, form.disposition.data, form.rationale.data)


def _editor_url(consultation, _result=None, section_id=None):
    anchor = f"section-{section_id}" if section_id else None
    return url_for("consultation.edit_brief", slug=consultation.slug, _anchor=anchor)


editor_actions = FormActions(
    bp, "/consultations/<slug>/brief", load=_manage_brief, page=render_brief_editor, success=_editor_url,
    decorators=(login_required,),
)  # fmt: skip
editor_actions.add(
    "brief_intro", "/intro", doc="Save the brief's introduction.", form=lambda consultation: BriefIntroForm(),
    slot="intro_form", run=lambda consultation, form: services.set_intro(consultation, current_user, form.intro.data),
)  # fmt: skip
editor_actions.add(
    "add_section", "/sections",
    doc="Add a section (per action line, or for formats, workshops, facilitators, regional inputs).",
    form=_section_form, slot="section_form", run=_add_section, field_names={"community": "community_id"},
)  # fmt: skip
editor_actions.add(
    "delete_section", "/sections/<int:section_id>/delete", doc="Remove a section.",
    run=lambda consultation, _form, section_id: services.delete_section(
        _load_section(consultation, section_id), current_user
    ),
)  # fmt: skip
editor_actions.add(
    "add_item", "/sections/<int:section_id>/items",
    doc="List a contribution or thread in a section with its disposition and rationale.",
    form=lambda consultation: BriefItemForm(), slot="item_form", run=_add_item, success=_editor_url,
    field_names={"target": "reference"},
)  # fmt: skip
editor_actions.add(
    "remove_item", "/items/<int:item_id>/delete", doc="Take an item out of the brief.", run=_remove_item
)
editor_actions.add(
    "change_item", "/items/<int:item_id>", doc="Change an item's disposition or rationale.",
    form=lambda consultation: _change_form(request.view_args["item_id"]), slot="change_form", run=_change_item,
    success=lambda consultation, _result=None, item_id=None: _editor_url(consultation),
)  # fmt: skip
editor_actions.add(
    "correct_brief", "/corrections", doc="Publish the draft's changes as the brief's next version.",
    form=lambda consultation: BriefCorrectionForm(), slot="correction_form",
    run=lambda consultation, form: services.publish_correction(consultation, current_user, form.note.data),
    success=lambda consultation, _result=None: url_for("consultation.brief", slug=consultation.slug),
)  # fmt: skip
editor_actions.add_switch(
    ("publish_brief", "/publish"), ("unpublish_brief", "/unpublish"),
    turn_on=services.publish, turn_off=services.unpublish,
    docs=("Publish the brief.", "Take the published brief back to draft."),
)  # fmt: skip


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


@bp.route("/consultations/<slug>/archive.zip")
@login_required
def download_archive(slug):
    """The whole consultation for the archive, files included: for its secretariat."""
    consultation = load_consultation(slug)
    require(consultation.can_manage(current_user))
    return send_file(
        archive.archive(consultation, current_user), mimetype="application/zip", as_attachment=True,
        download_name=f"{consultation.slug}-archive.zip", max_age=0,
    )  # fmt: skip
