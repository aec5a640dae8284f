"""casesource: a case's sources (partner, reporter key) read from one index, not its rows

Revision ID: 0010_casesource
Revises: 0009_queuekeys
Create Date: 2026-12-04 00:00:00

Trust reads the distinct reporter keys of a case's non-partner reports on every join. With
(case_id, partner_id) only, SQLite looked up every report of the case to read its key: a case
that one address reported thousands of times cost milliseconds per join, under the write
lock. With the key in the index the query never leaves it; partner look-ups use its prefix.
"""
from alembic import op


revision = '0010_casesource'
down_revision = '0009_queuekeys'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_reports_case_source', 'reports',
                    ['case_id', 'partner_id', 'reporter_key'], unique=False)
    op.drop_index('ix_reports_case_partner', table_name='reports')


def downgrade():
    op.create_index('ix_reports_case_partner', 'reports', ['case_id', 'partner_id'],
                    unique=False)
    op.drop_index('ix_reports_case_source', table_name='reports')
