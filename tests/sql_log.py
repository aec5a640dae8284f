"""The SQL statements an engine sends while a block runs: for statement-count and plan tests."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def recorded(engine: Engine, *, parameters: bool = False) -> Iterator[list]:
    """Yield a list that fills with each statement's SQL text (with `parameters`, a
    (text, parameters) pair) until the block ends."""
    seen: list = []

    def keep(_conn, _cursor, statement, params, *_args) -> None:
        seen.append((statement, params) if parameters else statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", keep)
