"""appeals: a reporter appeals a decision; the case waits as "appealed" since appealed_at

Revision ID: 0007_appeals
Revises: 0007_debunks
Create Date: 2026-12-04 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_appeals'
down_revision = '0007_debunks'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appealed_at', sa.DateTime(), nullable=True))
    op.create_table(
        'appeals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=True),
        sa.Column('original_decider_id', sa.Integer(), nullable=True),
        sa.Column('original_outcome', sa.String(length=20), nullable=False),
        sa.Column('result', sa.String(length=10), nullable=True),
        sa.Column('new_outcome', sa.String(length=20), nullable=True),
        sa.Column('public_note', sa.Text(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_appeals_case_id_cases')),
        sa.ForeignKeyConstraint(['report_id'], ['reports.id'],
                                name=op.f('fk_appeals_report_id_reports')),
        sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'],
                                name=op.f('fk_appeals_decision_id_decisions')),
        sa.ForeignKeyConstraint(['original_decider_id'], ['users.id'],
                                name=op.f('fk_appeals_original_decider_id_users')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'],
                                name=op.f('fk_appeals_decided_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals')),
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.create_index('ix_appeals_case_status', ['case_id', 'status'], unique=False)
        batch_op.create_index('ix_appeals_created', ['created_at'], unique=False)
        batch_op.create_index('ix_appeals_decided', ['decided_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_appeals_report_id'), ['report_id'], unique=False)


def downgrade():
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeals_report_id'))
        batch_op.drop_index('ix_appeals_decided')
        batch_op.drop_index('ix_appeals_created')
        batch_op.drop_index('ix_appeals_case_status')
    op.drop_table('appeals')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('appealed_at')
