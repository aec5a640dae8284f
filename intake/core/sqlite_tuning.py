"""SQLite connection settings, and one queue for writers across gunicorn workers.

SQLite lets one writer in at a time. A second writer that finds the database locked
sleeps in SQLite's busy handler (1, 2, 5, 10 ms...) even when the lock is released
microseconds later, which halves intake throughput with two workers. Writers here
queue on an OS file lock instead: the kernel wakes the next one as soon as the
previous transaction ends.
"""

import fcntl
import os
import threading
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_QUEUES: WeakKeyDictionary[Engine, "WriterQueue"] = WeakKeyDictionary()


class WriterQueue:
    """A lock shared by every thread and process writing to one SQLite file."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._fd: int | None = None
        self._thread_lock = threading.Lock()  # flock alone does not exclude threads

    def acquire(self) -> None:
        self._thread_lock.acquire()
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()  # SQLite will report the real problem
            raise

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._thread_lock.release()


def _pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while one writer commits; SQLite leaves foreign keys off.
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL never corrupts and survives a crashed or killed process; only the
    # last commits before a power cut can be lost. FULL costs an fsync per report.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def tune_sqlite(engine: Engine, database_path: str) -> None:
    """Set the pragmas on every connection and queue writers on a lock file."""
    queue = _QUEUES[engine] = WriterQueue(database_path + ".writers")
    event.listen(engine, "connect", _pragmas)

    def before_execute(conn, _cursor, statement, _params, _context, _many) -> None:
        if not conn.info.get("writing") and statement.lstrip()[:7].upper().startswith(WRITES):
            _hold(conn, queue)

    def released(_dbapi_connection, record) -> None:
        # The session hands its connection back right after commit or rollback; holding
        # the lock until then covers the whole transaction, commit included.
        if record.info.pop("writing", False):
            queue.release()

    def reset(dbapi_connection, record, _reset_state) -> None:
        released(dbapi_connection, record)

    event.listen(engine, "before_cursor_execute", before_execute)
    event.listen(engine.pool, "reset", reset)
    event.listen(engine.pool, "close", released)


def _hold(connection: Connection, queue: WriterQueue) -> None:
    if not connection.info.get("writing"):
        queue.acquire()
        connection.info["writing"] = True


def hold_writer_lock(connection: Connection) -> None:
    """Queue for the write lock now, before the reads a write depends on; kept until commit.

    Reads that run while it is held see every commit before it, and no other writer of
    this app commits until this transaction ends. No-op on an engine tune_sqlite never saw.
    """
    if (queue := _QUEUES.get(connection.engine)) is not None:
        _hold(connection, queue)
