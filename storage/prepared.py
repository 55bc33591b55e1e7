"""Statements run straight on the driver's cursor, for the commonest update (a ballot press).

SQLAlchemy builds each statement and compiles it once per dialect; the driver runs it, and the
column types convert the results as SQLAlchemy would (SQLite's 0/1 to booleans, its text to
datetimes). What this skips is SQLAlchemy's work around each execution (the cache key, an
execution context, a cursor and result metadata per statement), which costs more than the
database's own work here: on PostgreSQL a ballot press took 2.5 ms with it and 1.6 ms without,
its unit of work being the same statements in the same transaction (docs/performance.md).

Used inside a unit of work (``Database.run_short``), so in its transaction. For SELECT, UPDATE
and INSERT without RETURNING, and without column defaults computed in Python (give those a
value); a row comes back as a named tuple of the selected columns' names.
A driver error is raised as SQLAlchemy's (``OperationalError`` and the rest), a lost connection
is invalidated, and the engine's ``before_cursor_execute``/``after_cursor_execute`` listeners are
called, as SQLAlchemy's own execution would.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import Executable, Select


@dataclass
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # the parameters' order for a positional paramstyle (SQLite's ?)
    fixed: dict[str, Any]  # values written into the statement, e.g. ``.values(reachable=True)``
    binds: dict[str, Callable[[Any], Any]]
    row: type | None  # a SELECT's named tuple
    results: tuple[tuple[int, Callable[[Any], Any]], ...] | None = None  # (column, conversion), once known


class Prepared:
    """A statement compiled once per dialect and run on the driver's cursor."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def rows(self, connection: Connection, **params: Any) -> list[Any]:
        """Every row of a SELECT."""
        compiled, cursor = self._execute(connection, params)
        assert compiled.row is not None, "rows() is for a SELECT"
        try:
            if compiled.results is None:  # the first run: the driver's column types pick the conversions
                compiled.results = self._conversions(connection.dialect, cursor.description)
            found = cursor.fetchall()
        finally:
            cursor.close()
        if not compiled.results:
            return [compiled.row._make(raw) for raw in found]
        return [compiled.row._make(_converted(raw, compiled.results)) for raw in found]

    def first(self, connection: Connection, **params: Any) -> Any | None:
        """The first row of a SELECT, or None."""
        found = self.rows(connection, **params)
        return found[0] if found else None

    def run(self, connection: Connection, **params: Any) -> int:
        """Run an UPDATE or INSERT; the number of rows it changed."""
        cursor = self._execute(connection, params)[1]
        try:
            return cursor.rowcount
        finally:
            cursor.close()

    def _execute(self, connection: Connection, params: dict[str, Any]) -> tuple[_Compiled, Any]:
        dialect = connection.dialect
        compiled = self._compiled.get(dialect.name) or self._compile(dialect)
        given = {**compiled.fixed, **params}
        values = {name: compiled.binds[name](value) if name in compiled.binds else value for name, value in given.items()}
        arguments = tuple(values[name] for name in compiled.order) if compiled.order is not None else values
        driver = connection.connection.driver_connection
        cursor = driver.cursor()
        # SQLAlchemy's statement events still see it (statement counts, tracing), when anyone listens.
        dispatch = connection.dispatch
        if dispatch.before_cursor_execute:
            dispatch.before_cursor_execute(connection, cursor, compiled.sql, arguments, None, False)
        try:
            cursor.execute(compiled.sql, arguments)
        except dialect.loaded_dbapi.Error as error:
            lost = dialect.is_disconnect(error, driver, cursor)
            cursor.close()
            if lost:
                connection.invalidate(error)
            raise DBAPIError.instance(
                compiled.sql, arguments, error, dialect.loaded_dbapi.Error, connection_invalidated=lost, dialect=dialect
            ) from error
        if dispatch.after_cursor_execute:
            dispatch.after_cursor_execute(connection, cursor, compiled.sql, arguments, None, False)
        return compiled, cursor

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect)
        defaults = [column.name for column in (*compiled.insert_prefetch, *compiled.update_prefetch)]
        if defaults:  # SQLAlchemy computes these while it executes; here nobody would
            raise TypeError(f"give {', '.join(defaults)} a value, or run this statement through SQLAlchemy")
        binds = {}
        fixed = {name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required}
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                binds[name] = process
        row = None
        if isinstance(self.statement, Select):
            row = namedtuple("Row", [column.key for column in self.statement.selected_columns])  # type: ignore[misc]
        made = _Compiled(
            sql=compiled.string,
            order=tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None,
            fixed=fixed,
            binds=binds,
            row=row,
        )
        self._compiled[dialect.name] = made
        return made

    def _conversions(self, dialect: Dialect, description: Any) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
        assert isinstance(self.statement, Select)
        found = []
        for index, column in enumerate(self.statement.selected_columns):
            process = column.type.dialect_impl(dialect).result_processor(dialect, description[index][1])
            if process is not None:
                found.append((index, process))
        return tuple(found)


def _converted(raw: tuple, results: tuple[tuple[int, Callable[[Any], Any]], ...]) -> list[Any]:
    values = list(raw)
    for index, process in results:
        values[index] = process(values[index])
    return values
