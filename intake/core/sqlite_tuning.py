"""SQLite connection settings and transaction control (SQLAlchemy's pysqlite recipe).

SQLAlchemy's SQLite dialect documentation ("Serializable isolation / Savepoints /
Transactional DDL") switches pysqlite's own BEGIN off and emits BEGIN itself. Here a
transaction begins IMMEDIATE: it takes SQLite's write lock before its first write and waits
for it up to busy_timeout, so it never finds its snapshot stale halfway (a DEFERRED
transaction that read first gets SQLITE_BUSY on its first write if another committed since).
It begins at the first statement that is not a SELECT; reads before it run in autocommit
and never hold the lock, so pages and the reads of a request waiting for its turn never
block writers. What writes is read from the compiled statement, not its text. A writer
whose reads must see every commit before its write (case openings) begins with begin_write.
"""

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

BUSY_TIMEOUT_MS = 10_000  # how long a transaction waits for the write lock before failing


def _connect(dbapi_connection, _record) -> None:
    # No BEGIN from pysqlite: the "begin" event emits it (see the module docstring).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while one writer commits; SQLite leaves foreign keys off.
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL never corrupts and survives a crashed or killed process; only the
    # last commits before a power cut can be lost. FULL costs an fsync per report.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _before_execute(_conn, cursor, _statement, _params, context, _many) -> None:
    if cursor.connection.in_transaction:
        return
    compiled = context.compiled if context is not None else None
    if compiled is None or not compiled.statement.is_select:  # DML, DDL, text, SAVEPOINT
        cursor.execute("BEGIN IMMEDIATE")


def tune_sqlite(engine: Engine) -> None:
    """Set the pragmas on every connection; begin transactions IMMEDIATE at the first write."""
    event.listen(engine, "connect", _connect)
    event.listen(engine, "before_cursor_execute", _before_execute)


def begin_write(connection: Connection) -> None:
    """Take the write lock now, before the reads a write depends on; held until commit.

    Reads after it see every commit before it, and no other writer commits until this
    transaction ends. No-op when already writing, and on PostgreSQL.
    """
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is None:  # a closed (invalidated) connection: nothing to lock
        return
    if not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN IMMEDIATE")
