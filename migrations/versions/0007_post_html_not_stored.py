"""posts store their source only: the HTML is rendered when shown

Every body was stored twice, as Markdown and as sanitised HTML (issue 15's storage target: at most
twice FlaskBB's database for the same posts). The HTML is now rendered from the source and kept in
the fragment cache (app/discussions/bodies.py). Revisions keep theirs: only edited posts have them.

Revision ID: 0007_html
Revises: 0006_window
Create Date: 2026-12-05 17:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_html'
down_revision = '0006_window'
branch_labels = None
depends_on = None


def upgrade():
    # Not in batch mode: SQLite (3.35+) drops a column that no index or constraint names in place,
    # where batch mode would copy the table and reflect the expression indexes of its neighbours.
    op.drop_column('posts', 'body_html')


def downgrade():
    from app.core.text import render_markdown

    op.add_column('posts', sa.Column('body_html', sa.Text(), nullable=False, server_default=''))
    connection = op.get_bind()
    posts = sa.table('posts', sa.column('id', sa.Integer), sa.column('body_source', sa.Text), sa.column('body_html', sa.Text))
    for post_id, source in connection.execute(sa.select(posts.c.id, posts.c.body_source)).all():
        connection.execute(posts.update().where(posts.c.id == post_id).values(body_html=render_markdown(source)))
