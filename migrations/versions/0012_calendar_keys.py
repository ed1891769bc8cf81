"""consultation_calendar_keys: a member's secret calendar address

Issue 18: the meetings a member registered for, as a calendar feed at an address only they know.

Revision ID: 0012_calendar_keys
Revises: 0011_upload_scan
Create Date: 2026-12-07 13:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012_calendar_keys'
down_revision = '0011_upload_scan'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultation_calendar_keys',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consultation_calendar_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_consultation_calendar_keys')),
    sa.UniqueConstraint('key', name=op.f('uq_consultation_calendar_keys_key'))
    )


def downgrade():
    op.drop_table('consultation_calendar_keys')
