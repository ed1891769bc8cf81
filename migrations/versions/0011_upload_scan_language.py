"""uploads: malware-scan state and declared language

Issue 17: with CLAMD_SOCKET set a file waits in quarantine ("pending") until the daemon calls it
"clean" ("infected" ones are never served); a document's language may be declared by its uploader.

Revision ID: 0011_upload_scan
Revises: 0010_uploads
Create Date: 2026-12-07 13:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011_upload_scan'
down_revision = '0010_uploads'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scan_state', sa.String(length=16), server_default='clean', nullable=False))
        batch_op.add_column(sa.Column('scan_result', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_column('language')
        batch_op.drop_column('scan_result')
        batch_op.drop_column('scan_state')
