"""debunks: the public pages moderators publish about decided cases

Revision ID: 0007_debunks
Revises: 0007_throttle
Create Date: 2026-12-04 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_debunks'
down_revision = '0007_throttle'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'debunks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=False),
        sa.Column('claim_reviewed', sa.Text(), nullable=False),
        sa.Column('explanation', sa.Text(), nullable=False),
        sa.Column('sources', sa.Text(), nullable=True),
        sa.Column('topic', sa.String(length=40), nullable=False),
        sa.Column('verdict', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('unpublished_at', sa.DateTime(), nullable=True),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'],
                                name=op.f('fk_debunks_case_id_cases')),
        sa.ForeignKeyConstraint(['published_by_id'], ['users.id'],
                                name=op.f('fk_debunks_published_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_debunks')),
        sa.UniqueConstraint('case_id', name=op.f('uq_debunks_case_id')),
    )
    with op.batch_alter_table('debunks', schema=None) as batch_op:
        # The public list and the feed: published ones, newest first.
        batch_op.create_index('ix_debunks_public', ['unpublished_at', 'published_at'],
                              unique=False)


def downgrade():
    op.drop_table('debunks')
