"""Evidence files of a report not committed yet: removed if its transaction ends without a commit.

Intake writes evidence files before the report's rows exist (a file cannot join a database
transaction), and the view, not the intake operation, commits. The files must go whenever
the rows are not stored: the view rolls back, raises after the operation returned, its
COMMIT fails, or the session is closed at teardown with the transaction still open. A
session hook tied to the one transaction that would store the rows covers every one of
those paths; a list of files handed back to each caller would have to be remembered on
every one of them, by every future caller too. A killed process runs no hook at all: the
upload sweep (upload_sweep.py) removes what that leaves.
"""

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from intake.reports.evidence import remove_stored

_KEY = "evidence_until_commit"  # session.info: {root transaction: [(directory, names)]}


def remove_unless_committed(session: Session, names: list[str], directory: str) -> None:
    """Delete these stored files when the session's current transaction ends uncommitted."""
    transaction = session.get_transaction()
    if not names or transaction is None:
        return
    pending = session.info.setdefault(_KEY, {})
    pending.setdefault(transaction, []).append((directory, names))


@event.listens_for(Session, "after_commit")
def _keep(session: Session) -> None:
    # The rows are stored: the files stay. A released SAVEPOINT fires this event too but
    # stores nothing yet, so only the outermost commit counts.
    if session.in_nested_transaction() or _KEY not in session.info:
        return
    session.info[_KEY].pop(session.get_transaction(), None)


@event.listens_for(Session, "after_transaction_end")
def _remove(session: Session, transaction: SessionTransaction) -> None:
    # Still listed when the transaction ends: it was not committed (rolled back or closed).
    pending = session.info.get(_KEY)
    if not pending or transaction not in pending:
        return
    for directory, names in pending.pop(transaction):
        remove_stored(names, directory)
