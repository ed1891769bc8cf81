"""drafts, supports and proposals: what a member is writing, kept as they type; supports on
contributions and proposal threads

Issue 18.

Revision ID: 0016_drafts_supports
Revises: 0015_reactions
Create Date: 2026-12-07 16:32:38.496509

"""
import warnings

from alembic import op
import sqlalchemy as sa


revision = '0016_drafts_supports'
down_revision = '0015_reactions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('fields_json', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_drafts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts')),
    sa.UniqueConstraint('user_id', 'kind', 'target_id', name='uq_drafts_user_place')
    )
    op.create_table('supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=32), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('stakeholder_type', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_supports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supports')),
    sa.UniqueConstraint('target_type', 'target_id', 'user_id', name='uq_supports_once')
    )
    with op.batch_alter_table('supports', schema=None) as batch_op:
        batch_op.create_index('ix_supports_target', ['target_type', 'target_id', 'stakeholder_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_supports_user_id'), ['user_id'], unique=False)

    # A plain ADD COLUMN on every database (SQLite's batch mode would copy the threads table).
    op.add_column('threads', sa.Column('proposal', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with warnings.catch_warnings():  # SQLite copies the table, reflecting users' expression index
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table('threads', schema=None) as batch_op:
            batch_op.drop_column('proposal')

    with op.batch_alter_table('supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supports_user_id'))
        batch_op.drop_index('ix_supports_target')

    op.drop_table('supports')
    op.drop_table('drafts')
