"""Guarded UPDATE/DELETE statements whose changed-row count says who won a race."""

from sqlalchemy import CursorResult
from sqlalchemy.sql.dml import UpdateBase

from intake.core.extensions import db


def changed_rows(statement: UpdateBase) -> int:
    """Run a bulk UPDATE/DELETE without syncing the session; return the rows it changed.

    The WHERE clause of such a statement is the guard (status still "resolved", claim still
    mine), so one changed row means this request won. Session.execute is typed as returning
    a plain Result; for DML it is a CursorResult, the only kind that has a row count.
    """
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(statement).__name__} returned no row count")
    return result.rowcount
