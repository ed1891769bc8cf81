"""revision titles: an opening post's versions keep the thread's title as it was

Issue 18.

Revision ID: 0017_revision_titles
Revises: 0016_drafts_supports
Create Date: 2026-12-07 16:38:02.540295

"""
import warnings

from alembic import op
import sqlalchemy as sa


revision = '0017_revision_titles'
down_revision = '0016_drafts_supports'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('post_revisions', sa.Column('title', sa.String(length=200), nullable=True))



def downgrade():
    with warnings.catch_warnings():  # SQLite copies the table, reflecting users' expression index
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table('post_revisions', schema=None) as batch_op:
            batch_op.drop_column('title')

