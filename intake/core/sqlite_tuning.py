"""SQLite connection settings and transaction control (SQLAlchemy's pysqlite recipe).

SQLAlchemy's SQLite dialect documentation ("Serializable isolation / Savepoints /
Transactional DDL") switches pysqlite's own BEGIN off and emits BEGIN itself. Here a
transaction begins IMMEDIATE: it takes SQLite's write lock before its first write (waiting
up to BUSY_TIMEOUT_MS, asking every millisecond: begin_immediate), so it never finds its
snapshot stale halfway (a DEFERRED transaction that read first gets SQLITE_BUSY on its first
write if another committed since).
It begins at the first statement that is not a SELECT; reads before it run in autocommit
and never hold the lock, so pages and the reads of a request waiting for its turn never
block writers. What writes is read from the compiled statement, not its text. A writer
whose reads must see every commit before its write (case openings) begins with begin_write.
"""

import sqlite3
import time
from typing import cast

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

BUSY_TIMEOUT_MS = 10_000  # how long a transaction waits for the write lock before failing
POLL_SECONDS = 0.001  # how often a waiting writer asks again


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
        begin_immediate(cursor.connection)


def begin_immediate(dbapi_connection: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, asking for the write lock every millisecond until BUSY_TIMEOUT_MS.

    SQLite's own busy handler sleeps longer and longer between tries (1, 2, 5 ... 100 ms), so
    a writer waiting behind a transaction of a few milliseconds slept up to 100 ms after the
    lock was free: with two workers, intake spent more time asleep than writing. Other
    statements keep busy_timeout (set per connection in _connect).
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                    raise
            time.sleep(POLL_SECONDS)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


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
        # The sqlite dialect hands out sqlite3 connections; the pool types it generically.
        begin_immediate(cast(sqlite3.Connection, dbapi_connection))
