"""search: the staff search index (FTS5 on SQLite, tsvector + GIN on PostgreSQL), backfilled

Revision ID: 0008_search
Revises: 0008_partners
Create Date: 2026-12-04 00:00:00

"""
from alembic import op
import sqlalchemy as sa

from intake.search.text import document


revision = '0008_search'
down_revision = '0008_partners'
branch_labels = None
depends_on = None

BATCH = 1000


def _create_index_table(dialect):
    if dialect == 'postgresql':
        op.execute("CREATE TABLE report_search ("
                   "report_id INTEGER NOT NULL, terms TSVECTOR NOT NULL, "
                   "CONSTRAINT pk_report_search PRIMARY KEY (report_id), "
                   "CONSTRAINT fk_report_search_report_id_reports FOREIGN KEY (report_id) "
                   "REFERENCES reports (id) ON DELETE CASCADE)")
        op.execute("CREATE INDEX ix_report_search_terms ON report_search USING gin (terms)")
    else:
        # rowid = report id; the terms are already split, so unicode61 only cuts at spaces.
        op.execute("CREATE VIRTUAL TABLE report_search USING fts5("
                   "terms, tokenize = 'unicode61 remove_diacritics 0')")


def _backfill(dialect):
    bind = op.get_bind()
    if dialect == 'postgresql':
        insert = sa.text("INSERT INTO report_search (report_id, terms) "
                         "VALUES (:id, to_tsvector('simple', :terms))")
    else:
        insert = sa.text("INSERT INTO report_search (rowid, terms) VALUES (:id, :terms)")
    last = 0
    while True:
        rows = bind.execute(sa.text(
            "SELECT id, claim, explanation FROM reports WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BATCH}).all()
        if not rows:
            return
        bind.execute(insert, [{"id": r.id, "terms": document(r.claim, r.explanation)}
                              for r in rows])
        last = rows[-1].id


def upgrade():
    dialect = op.get_bind().dialect.name
    _create_index_table(dialect)
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_caller_masked', ['caller_masked'], unique=False)
    _backfill(dialect)


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_caller_masked')
    op.execute("DROP TABLE report_search")
