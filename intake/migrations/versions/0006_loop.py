"""outbox: reporters' mail and callers' call-backs commit with the receipt or decision

Revision ID: 0006_loop
Revises: 0005_case_counters
Create Date: 2026-12-03 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_loop'
down_revision = '0005_case_counters'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outbox_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=True),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body_text', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['report_id'], ['reports.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        # The worker's "what is due" query: one range read however many were sent.
        batch_op.create_index('ix_outbox_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_outbox_messages_report_id', ['report_id'], unique=False)

    op.create_table(
        'callbacks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('public_note', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('done_at', sa.DateTime(), nullable=True),
        sa.Column('done_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['done_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['report_id'], ['reports.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('callbacks', schema=None) as batch_op:
        # The operators' list: the call-backs not done yet.
        batch_op.create_index('ix_callbacks_done_at', ['done_at'], unique=False)
        batch_op.create_index('ix_callbacks_report_id', ['report_id'], unique=False)


def downgrade():
    op.drop_table('callbacks')
    op.drop_table('outbox_messages')
