"""reports may be appeals by the author of hidden content

Issue 16: the mail telling an author their post was hidden says how to appeal; an appeal is a report
with the reason "appeal", so it reaches the review queue like any report.

Revision ID: 0009_appeal
Revises: 0008_mail
Create Date: 2026-12-07 11:00:00

"""
import warnings

from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_appeal'
down_revision = '0008_mail'
branch_labels = None
depends_on = None

OLD = "reason in ('spam', 'offensive', 'off_topic', 'personal_data', 'other')"
NEW = "reason in ('spam', 'offensive', 'off_topic', 'personal_data', 'other', 'appeal')"


def _replace_check(condition: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot alter a constraint: batch mode copies the table, whose CHECK constraints it
        # does not reflect, so the copy carries only the one given here (the only one on reports).
        # Reflecting reports' foreign keys reflects users too, whose lower(...) indexes SQLAlchemy
        # cannot reflect and says so; users is not changed here.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
            with op.batch_alter_table('reports', recreate='always') as batch_op:
                batch_op.create_check_constraint('reason', condition)
        return
    op.drop_constraint(op.f('ck_reports_reason'), 'reports', type_='check')
    op.create_check_constraint('reason', 'reports', condition)


def upgrade():
    _replace_check(NEW)


def downgrade():
    op.execute("DELETE FROM reports WHERE reason = 'appeal'")
    _replace_check(OLD)
