"""case counters: a report joining a big case costs a few index lookups, not a scan of the case

Revision ID: 0005_case_counters
Revises: 0004_dashboard
Create Date: 2026-11-25 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005_case_counters'
down_revision = '0004_dashboard'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        # Scored reports per topic; NULL until the case is next counted in full.
        batch_op.add_column(sa.Column('topic_counts', sa.JSON(), nullable=True))
    with op.batch_alter_table('reports', schema=None) as batch_op:
        # The earliest reports of a case and its last day: ranges, not scans of the case.
        # It serves every lookup by case_id too, so the single-column index goes.
        batch_op.drop_index('ix_reports_case_id')
        batch_op.create_index('ix_reports_case_received', ['case_id', 'received_at', 'id'],
                              unique=False)
        # Has this reporter reported this case before: one index probe.
        batch_op.create_index('ix_reports_case_reporter', ['case_id', 'reporter_key'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_case_reporter')
        batch_op.drop_index('ix_reports_case_received')
        batch_op.create_index('ix_reports_case_id', ['case_id'], unique=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('topic_counts')
