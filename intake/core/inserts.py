"""Store brand-new ORM objects with one Core INSERT each instead of a unit-of-work flush.

The ORM flush of a new report (case, report, link) costs about three times the INSERT
statements themselves: it sorts dependencies, diffs attribute history and bookkeeps state
per object. Intake only ever adds new rows, so it inserts them directly and then hands the
objects to the session as already stored: later reads, refreshes and the commit see them
exactly as if the ORM had flushed them.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Column, ColumnDefault, Insert, Table, insert, inspect
from sqlalchemy.orm import Mapper, Session, make_transient_to_detached, scoped_session
from sqlalchemy.orm.interfaces import MANYTOONE


@dataclass(frozen=True)
class _Plan:
    statement: Insert
    columns: list[tuple[str, Column]]  # (attribute, column) of every value inserted
    serial: str | None  # the attribute the database numbers, read back with RETURNING
    parents: list[tuple[str, list[tuple[str, str]]]]  # many-to-one: (relationship, key pairs)


@cache
def _plan(mapper: Mapper) -> _Plan:
    table = mapper.local_table
    if not isinstance(table, Table):
        raise TypeError(f"{mapper} is not mapped to a table")
    serial = table.autoincrement_column
    columns = [(prop.key, column) for prop in mapper.column_attrs
               if isinstance(column := prop.columns[0], Column)
               and column.table is table and column is not serial]
    parents = [
        (rel.key, [(mapper.get_property_by_column(local).key,
                    rel.mapper.get_property_by_column(remote).key)
                   for local, remote in rel.local_remote_pairs])
        for rel in mapper.relationships if rel.direction is MANYTOONE
    ]
    if serial is None:
        return _Plan(insert(table), columns, None, parents)
    return _Plan(insert(table).returning(serial), columns,
                 mapper.get_property_by_column(serial).key, parents)


def _values(obj: object, plan: _Plan) -> dict[str, object]:
    # The instance dict is written directly, without attribute events: the object is
    # marked as freshly loaded right after the INSERT, so there is no history to keep.
    state, values = obj.__dict__, {}
    for rel, pairs in plan.parents:  # copy each parent's key into the foreign key
        parent = state.get(rel)
        if parent is not None:
            for local, remote in pairs:
                state[local] = getattr(parent, remote)
    for key, column in plan.columns:
        if key not in state:
            state[key] = _default(column)
        values[column.key] = state[key]
    return values


def _default(column: Column) -> object:
    """The column default, applied here so the object holds what was stored."""
    default = column.default
    if default is None:
        return None
    if not isinstance(default, ColumnDefault):  # a Sequence or Identity: not used here
        raise TypeError(f"{column} has a default that insert_new cannot apply")
    return default.arg(None) if default.is_callable else default.arg


def insert_new(session: Session | scoped_session[Any], objects: list[object]) -> None:
    """INSERT new objects in order (parents first) and attach them to the session as stored.

    Nothing is committed. If a statement fails, the objects get their keys back unset so
    the caller can roll back and try again with the same objects.
    """
    connection, done = session.connection(), []
    try:
        for obj in objects:
            plan = _plan(inspect(obj).mapper)
            result = connection.execute(plan.statement, _values(obj, plan))
            if plan.serial is not None:
                obj.__dict__[plan.serial] = result.scalar_one()
                done.append((obj, plan.serial))
    except BaseException:
        for obj, serial in done:
            obj.__dict__[serial] = None
        raise
    for obj in objects:
        if inspect(obj).pending:  # e.g. added by cascade: it must not be inserted twice
            session.expunge(obj)
    for obj in objects:
        make_transient_to_detached(obj)
    session.add_all(objects)
