"""brief versions: each publication of a final brief kept as it was

Issue 20. Briefs already published get their version 1 from what they hold now.

Revision ID: 0025_brief_versions
Revises: 0023_branch_origins
Create Date: 2026-12-07 23:00:00

"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0025_brief_versions'
down_revision = '0023_branch_origins'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('brief_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('content_json', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_brief_versions_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_brief_versions_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brief_versions')),
    sa.UniqueConstraint('consultation_id', 'number', name='uq_brief_versions_number')
    )
    with op.batch_alter_table('brief_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brief_versions_consultation_id'), ['consultation_id'], unique=False)
    _first_versions_of_published_briefs()


def _first_versions_of_published_briefs():
    connection = op.get_bind()
    published = connection.execute(sa.text(
        "select id, brief_intro_source, brief_intro_html, brief_published_at from consultations "
        "where brief_published_at is not null"
    )).all()
    for consultation_id, intro_source, intro_html, published_at in published:
        sections = []
        for section in connection.execute(sa.text(
            "select id, kind, title, community_id, body_source, body_html from brief_sections "
            "where consultation_id = :id order by position, id"), {"id": consultation_id}).all():
            items = [
                {"contribution_id": item.contribution_id, "thread_id": item.thread_id, "disposition": item.disposition,
                 "rationale_source": item.rationale_source, "rationale_html": item.rationale_html}
                for item in connection.execute(sa.text(
                    "select contribution_id, thread_id, disposition, rationale_source, rationale_html from brief_items "
                    "where section_id = :id order by position, id"), {"id": section.id}).all()
            ]
            sections.append({"id": section.id, "kind": section.kind, "title": section.title,
                             "community_id": section.community_id, "body_source": section.body_source,
                             "body_html": section.body_html, "items": items})
        connection.execute(sa.text(
            "insert into brief_versions (consultation_id, number, published_at, note, content_json) "
            "values (:consultation, 1, :at, '', :content)"),
            {"consultation": consultation_id, "at": published_at,
             "content": json.dumps({"intro_source": intro_source, "intro_html": intro_html, "sections": sections},
                                  ensure_ascii=False)})


def downgrade():
    op.drop_table('brief_versions')
