"""audit entry audience

Audit entries carry an audience (audience, audience_id): a consultation's internal notes are read
only by its secretariat and administrators. Existing contribution and review entries are classified
as the consultation domain classifies new ones (app/consultation/audit.py): every entry of a private
kind (workshop, nomination), and for public kinds every step but submission without a note, edits
and the official decisions.

Revision ID: 0003_audit
Revises: 0002_held_posts
Create Date: 2026-12-04 18:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_audit'
down_revision = '0002_held_posts'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('audit_entries', sa.Column('audience', sa.String(length=32), nullable=True))
    op.add_column('audit_entries', sa.Column('audience_id', sa.Integer(), nullable=True))
    op.create_index('ix_audit_entries_audience', 'audit_entries', ['audience', 'audience_id'], unique=False)
    op.execute(
        """
        UPDATE audit_entries SET audience = 'consultation', audience_id = (
            SELECT c.consultation_id FROM contributions c WHERE c.id = audit_entries.target_id)
        WHERE target_type = 'contribution'
          AND (audit_entries.action LIKE 'contribution.%' OR audit_entries.action LIKE 'review.%')
          AND EXISTS (
            SELECT 1 FROM contributions c WHERE c.id = audit_entries.target_id AND (
              c.type IN ('workshop', 'nomination')
              OR audit_entries.action NOT IN ('contribution.submit', 'contribution.withdraw', 'contribution.accept',
                                'contribution.decline', 'contribution.merge', 'contribution.edit')
              OR (audit_entries.action IN ('contribution.submit', 'contribution.withdraw')
                  AND TRIM(audit_entries.reason) != '')))
        """
    )


def downgrade():
    op.drop_index('ix_audit_entries_audience', table_name='audit_entries')
    op.drop_column('audit_entries', 'audience_id')
    op.drop_column('audit_entries', 'audience')
