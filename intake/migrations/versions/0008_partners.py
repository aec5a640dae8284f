"""partners: trusted partners with hashed API keys; reports.partner_id

Revision ID: 0008_partners
Revises: 0007_appeals
Create Date: 2026-12-04 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_partners'
down_revision = '0007_appeals'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'partners',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('key_prefix', sa.String(length=16), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('suspended_at', sa.DateTime(), nullable=True),
        sa.Column('suspended_reason', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
        sa.UniqueConstraint('name', name=op.f('uq_partners_name')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_partners_key_hash')),
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_reports_partner_id_partners'), 'partners',
                                    ['partner_id'], ['id'])
        batch_op.create_index('ix_reports_case_partner', ['case_id', 'partner_id'], unique=False)
        batch_op.create_index('ix_reports_partner_received',
                              ['partner_id', 'received_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_partner_received')
        batch_op.drop_index('ix_reports_case_partner')
        batch_op.drop_constraint(batch_op.f('fk_reports_partner_id_partners'),
                                 type_='foreignkey')
        batch_op.drop_column('partner_id')
    op.drop_table('partners')
