"""reactions: like, agree, insightful and thanks on posts

Issue 18.

Revision ID: 0015_reactions
Revises: 0014_reading_state
Create Date: 2026-12-07 16:13:47.524520

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_reactions'
down_revision = '0014_reading_state'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind in ('like', 'agree', 'insightful', 'thanks')", name=op.f('ck_reactions_kind')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_reactions_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reactions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reactions')),
    sa.UniqueConstraint('post_id', 'user_id', 'kind', name='uq_reactions_post_user_kind')
    )
    with op.batch_alter_table('reactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reactions_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('reactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reactions_user_id'))

    op.drop_table('reactions')
