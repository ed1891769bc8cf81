"""feed keys: the secret in a member's bookmarks feed address

Issue 19.

Revision ID: 0020_feed_keys
Revises: 0019_access_tokens
Create Date: 2026-12-07 20:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020_feed_keys'
down_revision = '0019_access_tokens'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feed_keys',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_feed_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_feed_keys')),
    sa.UniqueConstraint('key', name=op.f('uq_feed_keys_key'))
    )


def downgrade():
    op.drop_table('feed_keys')
