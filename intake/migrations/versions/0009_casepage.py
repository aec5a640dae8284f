"""casepage: the public note of a decision in English beside the one in Chinese

Revision ID: 0009_casepage
Revises: 0008_search
Create Date: 2026-12-04 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_casepage'
down_revision = '0009_misuse'
branch_labels = None
depends_on = None


def upgrade():
    # public_note keeps the Chinese note (and every note written before there were two).
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('public_note_en', sa.Text(), nullable=True))
    with op.batch_alter_table('decisions') as batch:
        batch.add_column(sa.Column('public_note_en', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('decisions') as batch:
        batch.drop_column('public_note_en')
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('public_note_en')
