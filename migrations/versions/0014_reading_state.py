"""reading state and watch levels: what each member has read, and how closely they follow threads
and communities

Issue 18.

Revision ID: 0014_reading_state
Revises: 0013_bookmarks
Create Date: 2026-12-07 16:00:10.618819

"""
import warnings

from alembic import op
import sqlalchemy as sa


revision = '0014_reading_state'
down_revision = '0013_bookmarks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('community_reads',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_community_reads_community_id_communities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_community_reads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'community_id', name=op.f('pk_community_reads'))
    )
    op.create_table('thread_reads',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('read_through_id', sa.Integer(), nullable=False),
    sa.Column('read_beyond', sa.Text(), nullable=False),
    sa.Column('last_seen_post_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_thread_reads_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_thread_reads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'thread_id', name=op.f('pk_thread_reads'))
    )
    with op.batch_alter_table('thread_reads', schema=None) as batch_op:
        batch_op.create_index('ix_thread_reads_thread', ['thread_id'], unique=False)

    # SQLite's batch mode copies the follow tables and reflects the users table they refer to,
    # whose expression index (lower(email)) SQLAlchemy cannot reflect: the copy needs no index.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table('community_follows', schema=None) as batch_op:
            batch_op.add_column(sa.Column('level', sa.String(length=12), server_default='new_threads', nullable=False))
            batch_op.create_check_constraint(
                op.f('ck_community_follows_level'), "level in ('watching', 'new_threads', 'tracking', 'muted')"
            )

        with op.batch_alter_table('thread_follows', schema=None) as batch_op:
            batch_op.add_column(sa.Column('level', sa.String(length=12), server_default='watching', nullable=False))
            batch_op.create_check_constraint(op.f('ck_thread_follows_level'), "level in ('watching', 'tracking', 'muted')")


def downgrade():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table('thread_follows', schema=None) as batch_op:
            batch_op.drop_constraint(op.f('ck_thread_follows_level'), type_='check')
            batch_op.drop_column('level')

        with op.batch_alter_table('community_follows', schema=None) as batch_op:
            batch_op.drop_constraint(op.f('ck_community_follows_level'), type_='check')
            batch_op.drop_column('level')

        with op.batch_alter_table('thread_reads', schema=None) as batch_op:
            batch_op.drop_index('ix_thread_reads_thread')

        op.drop_table('thread_reads')
        op.drop_table('community_reads')
