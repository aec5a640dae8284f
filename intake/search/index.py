"""Writing the staff search index: one row per report, added in the report's own commit.

Only the report's text goes in; its case is joined when searching, so merging and moving
reports never rewrite the index. Reading it is intake/search/queries.py.
"""

from sqlalchemy import text

from intake.core.extensions import db
from intake.core.models import Report
from intake.search.models import report_search  # the table this module fills
from intake.search.text import document


def index_reports(reports: list[Report]) -> None:
    """Add new reports' terms to the search index (one row each; the caller commits)."""
    rows = [{"id": r.id, "terms": document(r.claim, r.explanation)} for r in reports]
    if rows:
        db.session.execute(insert_sql(db.session.get_bind().dialect.name), rows)


def insert_sql(dialect: str):
    """Return the INSERT of one index row (:id, :terms) for the database in use."""
    # The table's name comes from our own metadata; the values are bound parameters.
    if dialect == "postgresql":
        return text(f"INSERT INTO {report_search.name} (report_id, terms) "  # noqa: S608
                    "VALUES (:id, to_tsvector('simple', :terms))")
    return text(f"INSERT INTO {report_search.name} (rowid, terms) VALUES (:id, :terms)")  # noqa: S608
