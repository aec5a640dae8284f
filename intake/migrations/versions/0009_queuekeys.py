"""queuekeys: the desk a moderator moved a case to, kept apart from the model's topic

Revision ID: 0009_queuekeys
Revises: 0008_search
Create Date: 2026-12-04 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_queuekeys'
down_revision = '0009_casepage'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('desk_topic', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('desk_topic')
