"""bookmarks: a member's bookmarks on threads and posts, with an optional reminder

Issue 18.

Revision ID: 0013_bookmarks
Revises: 0012_calendar_keys
Create Date: 2026-12-07 13:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013_bookmarks'
down_revision = '0012_calendar_keys'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bookmarks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('remind_at', sa.DateTime(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(thread_id is null) <> (post_id is null)', name=op.f('ck_bookmarks_one_target')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_bookmarks_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_bookmarks_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_bookmarks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookmarks')),
    sa.UniqueConstraint('user_id', 'post_id', name='uq_bookmarks_user_post'),
    sa.UniqueConstraint('user_id', 'thread_id', name='uq_bookmarks_user_thread')
    )
    with op.batch_alter_table('bookmarks', schema=None) as batch_op:
        batch_op.create_index('ix_bookmarks_user_created', ['user_id', 'created_at'], unique=False)


def downgrade():
    op.drop_table('bookmarks')
