"""user theme: light, dark, or as the device is set

Issue 18.

Revision ID: 0018_user_theme
Revises: 0017_revision_titles
Create Date: 2026-12-07 16:42:57.277984

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_user_theme'
down_revision = '0017_revision_titles'
branch_labels = None
depends_on = None

# One account per username and per address whatever their case: indexes on an expression, which
# SQLite's batch mode cannot carry across its copy of the table.
EXPRESSION_INDEXES = {'uq_users_username_lower': 'username', 'uq_users_email_lower': 'email'}


def upgrade():
    op.add_column('users', sa.Column('theme', sa.String(length=8), server_default='auto', nullable=False))



def downgrade():
    for name in EXPRESSION_INDEXES:
        op.drop_index(name, table_name='users')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('theme')
    for name, column in EXPRESSION_INDEXES.items():
        op.create_index(name, 'users', [sa.text(f'lower({column})')], unique=True)

