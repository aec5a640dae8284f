"""misuse: suspended reporter keys; reports indexed by reporter key for spam look-ups

Revision ID: 0009_misuse
Revises: 0008_search
Create Date: 2026-12-04 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_misuse'
down_revision = '0008_search'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'reporter_suspensions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reporter_key', sa.String(length=64), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('suspended_at', sa.DateTime(), nullable=False),
        sa.Column('suspended_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['suspended_by_id'], ['users.id'],
                                name=op.f('fk_reporter_suspensions_suspended_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reporter_suspensions')),
        sa.UniqueConstraint('reporter_key', name=op.f('uq_reporter_suspensions_reporter_key')),
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_reporter_case', ['reporter_key', 'case_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_reporter_case')
    op.drop_table('reporter_suspensions')
