"""The staff search index: one row of terms per report (intake/search.py reads and writes it).

SQLite keeps it in an FTS5 table whose rowid is the report id; PostgreSQL in a table of
(report_id, tsvector) with a GIN index (migration 0008_search). Declared here so the schema
knows the table; the case a report belongs to is joined at query time, so moving reports
between cases (merging) never touches the index.
"""

from sqlalchemy import Column, ForeignKey, Index, Table, Text
from sqlalchemy.dialects.postgresql import TSVECTOR

from .extensions import db
from .models import Report

report_search = Table(
    "report_search", db.metadata,
    Column("report_id", ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    Column("terms", Text().with_variant(TSVECTOR(), "postgresql"), nullable=False),
)

# Operators find a caller by the last four digits, which is all the mask keeps.
Index("ix_reports_caller_masked", Report.caller_masked)
