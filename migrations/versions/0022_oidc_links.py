"""oidc links: members' accounts at the OpenID Connect provider

Issue 19.

Revision ID: 0022_oidc_links
Revises: 0021_webhooks
Create Date: 2026-12-07 20:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0022_oidc_links'
down_revision = '0021_webhooks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('oidc_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_oidc_links_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oidc_links')),
    sa.UniqueConstraint('issuer', 'subject', name='uq_oidc_links_subject')
    )
    with op.batch_alter_table('oidc_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oidc_links_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table('oidc_links')
