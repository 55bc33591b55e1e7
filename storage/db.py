"""The database handle: one transaction per unit of work, run off the event loop.

Why synchronous drivers in a worker thread (median per committed insert on this project's
2-core machine; ``python -m benchmarks.db_drivers`` measures it again): sqlite3 in WAL mode
0.19-0.27 ms and psycopg 0.58-0.64 ms through one thread hop per unit of work, against
0.8-1.1 ms for aiosqlite and 0.62-0.66 ms for asyncpg through SQLAlchemy's async session. The thread hop keeps the event loop free while the database works,
and the query functions stay plain synchronous code, testable without asyncio.

A short unit (``run_short``: a few Core statements on a connection, like a ballot press, the
commonest update) skips the ORM session, and on SQLite it runs on the event loop itself when the
worker is idle: the hop there and back (~0.1-0.2 ms) costs more than the unit, and SQLite has one
writer anyway. A lock keeps the loop and the worker from ever using SQLite at the same time, so
the loop never waits for SQLite's write lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

P = ParamSpec("P")
T = TypeVar("T")
H = TypeVar("H")  # what a unit of work gets: a Session or a Connection


class Database:
    """Engine, sessions and the worker threads that run units of work."""

    def __init__(self, url: str, *, pool_size: int = 5) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            _ensure_sqlite_folder(url)
            self.engine: Engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(self.engine, "connect", _sqlite_pragmas)
            # SQLite takes one writer at a time: one worker thread avoids "database is locked".
            workers = 1
        else:
            self.engine = create_engine(url, pool_size=pool_size, max_overflow=0)
            _check_when_idle(self.engine)
            workers = pool_size
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="db")
        # SQLite: held by whoever uses the database, the worker or the loop (run_short).
        self._sqlite_turn = threading.Lock() if self.is_sqlite else None

    def run_sync(self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(session, ...)`` in one transaction, committed when it returns."""
        with self._turn():
            return _transaction(self.sessions.begin, fn, *args, **kwargs)

    async def run(self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(session, ...)`` in one transaction on a worker thread."""
        return await self._on_worker(functools.partial(self.run_sync, fn, *args, **kwargs))

    def run_short_sync(self, fn: Callable[Concatenate[Connection, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(connection, ...)`` in one transaction, committed when it returns."""
        with self._turn():
            return _transaction(self.engine.begin, fn, *args, **kwargs)

    async def run_short(self, fn: Callable[Concatenate[Connection, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(connection, ...)``, a few Core statements, in one transaction: on SQLite on
        the event loop when the worker is idle (see the module's docstring), else on the worker."""
        if self._sqlite_turn is not None and self._sqlite_turn.acquire(blocking=False):
            try:
                return _transaction(self.engine.begin, fn, *args, **kwargs)
            finally:
                self._sqlite_turn.release()
        return await self._on_worker(functools.partial(self.run_short_sync, fn, *args, **kwargs))

    def run_once_sync(self, fn: Callable[Concatenate[Connection, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(connection, ...)`` whose work is one statement that commits as it runs: on
        PostgreSQL in autocommit, so the statement and its durable commit are one round trip
        (``synchronous_commit`` stays on). On SQLite the same as ``run_short_sync``."""
        if self.is_sqlite:
            return self.run_short_sync(fn, *args, **kwargs)
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            return fn(connection, *args, **kwargs)

    async def run_once(self, fn: Callable[Concatenate[Connection, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``run_once_sync`` off the event loop (on SQLite: ``run_short``, on the loop when it may)."""
        if self.is_sqlite:
            return await self.run_short(fn, *args, **kwargs)
        return await self._on_worker(functools.partial(self.run_once_sync, fn, *args, **kwargs))

    def _turn(self) -> contextlib.AbstractContextManager[object]:
        return self._sqlite_turn or contextlib.nullcontext()

    async def _on_worker(self, call: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def dispose(self) -> None:
        self._executor.shutdown(wait=True)
        self.engine.dispose()


def _transaction(
    begin: Callable[[], contextlib.AbstractContextManager[H]],
    fn: Callable[Concatenate[H, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """``fn(session or connection, ...)`` in the transaction ``begin`` opens, committed when it
    returns."""
    with begin() as handle:
        return fn(handle, *args, **kwargs)


# A pooled PostgreSQL connection that rested this long is checked before use: the server or a
# proxy may have closed it meanwhile (a restart, an idle timeout), and the user would hear "try
# again" for nothing. One in use more recently is not checked: that is a round trip per unit of
# work, a seventh of a ballot press. If it died after all, that one unit fails ("try again") and
# the connection is replaced.
CHECK_AFTER_IDLE = 10.0  # seconds


def _check_when_idle(engine: Engine) -> None:
    """SQLAlchemy's ``pool_pre_ping``, for connections that rested ``CHECK_AFTER_IDLE`` seconds."""

    @event.listens_for(engine, "checkout")
    def check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        rested = time.monotonic() - record.info.get("returned_at", float("-inf"))
        if rested < CHECK_AFTER_IDLE:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # the pool replaces the connection and tries again
            raise DisconnectionError(f"pooled connection is gone: {type(error).__name__}") from error

    @event.listens_for(engine, "checkin")
    def returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()


def _ensure_sqlite_folder(url: str) -> None:
    from pathlib import Path

    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
