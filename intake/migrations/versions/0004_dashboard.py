"""dashboard indexes: open/overdue per desk, new and decided cases per day, without full scans

Revision ID: 0004_dashboard
Revises: 0003
Create Date: 2026-11-24 21:20:00

"""
from alembic import op


revision = '0004_dashboard'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        # Open and overdue per desk: an index-only range over the open statuses.
        batch_op.create_index('ix_cases_open_sla', ['status', 'topic', 'sla_due_at'],
                              unique=False)
        # New cases per day for the last 14 days: a range, not a scan of every case.
        batch_op.create_index(batch_op.f('ix_cases_created_at'), ['created_at'], unique=False)
        # Decided today, per day and the median time to decision: index-only over the window.
        batch_op.create_index('ix_cases_decided', ['decided_at', 'status', 'topic', 'created_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_decided')
        batch_op.drop_index(batch_op.f('ix_cases_created_at'))
        batch_op.drop_index('ix_cases_open_sla')
