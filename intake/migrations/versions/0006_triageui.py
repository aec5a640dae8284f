"""claim matching: the decided case a new report's case matches, and its verdict at the time

Revision ID: 0006_triageui
Revises: 0005_case_counters
Create Date: 2026-12-03 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_triageui'
down_revision = '0006_loop'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        # Denormalised for the queue row: "matches #12, decided false on 2026-11-20".
        batch_op.add_column(sa.Column('match_case_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('match_outcome', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('match_decided_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('match_similarity', sa.Double(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_cases_match_case_id_cases'), 'cases', ['match_case_id'],
                                    ['id'])


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_cases_match_case_id_cases'), type_='foreignkey')
        batch_op.drop_column('match_similarity')
        batch_op.drop_column('match_decided_at')
        batch_op.drop_column('match_outcome')
        batch_op.drop_column('match_case_id')
