"""held posts and account approval

Posts and threads held for a moderator's approval (held_at), the review-queue items for them
(review_items.held), a community's "approve all new posts" setting, and the approval state of
accounts (users.approval, MUST_APPROVE_USERS). Plain column additions: existing rows get the
server defaults (published, not held, approved), and SQLite needs no table rebuild.

Revision ID: 0002_held_posts
Revises: 0001_initial
Create Date: 2026-11-28 01:54:21.626134

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_held_posts'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE ... ADD COLUMN: no batch mode, which would reflect the users table and trip
    # over its expression indexes on SQLite. sa.false() renders as 0 on SQLite and false on
    # PostgreSQL (a boolean column cannot default to 0 there).
    op.add_column('communities', sa.Column('approve_new_posts', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('posts', sa.Column('held_at', sa.DateTime(), nullable=True))
    op.add_column('review_items', sa.Column('held', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('threads', sa.Column('held_at', sa.DateTime(), nullable=True))
    op.add_column('users', sa.Column('approval', sa.String(length=16), server_default='approved', nullable=False))


def downgrade():
    # SQLite drops columns natively since 3.35; batch mode is not needed for these.
    op.drop_column('users', 'approval')
    op.drop_column('threads', 'held_at')
    op.drop_column('review_items', 'held')
    op.drop_column('posts', 'held_at')
    op.drop_column('communities', 'approve_new_posts')
