"""``Database.run_short``: one transaction on a connection; on SQLite on the event loop only
while the worker thread is idle, so the two never use SQLite at the same time."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import Connection, insert, text
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import Person


def _thread_and_count(connection: Connection) -> tuple[str, int]:
    count = connection.execute(text("SELECT count(*) FROM person")).scalar_one()
    return threading.current_thread().name, count


async def test_a_short_unit_commits_its_writes(db: Database) -> None:
    def add(connection: Connection) -> None:
        connection.execute(insert(Person).values(telegram_id=7, first_name="Ann"))

    await db.run_short(add)
    assert (await db.run_short(_thread_and_count))[1] == 1


async def test_a_failing_short_unit_leaves_nothing(db: Database) -> None:
    def add_then_fail(connection: Connection) -> None:
        connection.execute(insert(Person).values(telegram_id=8, first_name="Bo"))
        raise RuntimeError("half way")

    with pytest.raises(RuntimeError):
        await db.run_short(add_then_fail)
    assert (await db.run_short(_thread_and_count))[1] == 0


async def test_where_a_short_unit_runs(db: Database) -> None:
    thread, _ = await db.run_short(_thread_and_count)
    if db.is_sqlite:
        assert thread == threading.current_thread().name  # the event loop's: no hop
    else:
        assert thread.startswith("db")  # PostgreSQL waits on the network: never on the loop


async def test_on_sqlite_a_short_unit_waits_for_a_busy_worker_without_blocking_the_loop(db: Database) -> None:
    """While the worker holds SQLite, the short unit goes to the worker after it, and the event
    loop keeps running meanwhile."""
    started, release = threading.Event(), threading.Event()
    order: list[str] = []

    def long_unit(session: Session) -> None:
        started.set()
        release.wait(10)
        order.append("long unit")

    def short_unit(connection: Connection) -> str:
        order.append("short unit")
        return threading.current_thread().name

    long_task = asyncio.create_task(db.run(long_unit))
    await asyncio.to_thread(started.wait, 10)
    short_task = asyncio.create_task(db.run_short(short_unit))
    await asyncio.sleep(0.05)
    order.append("loop ran")  # the loop was not held by the short unit
    release.set()
    await long_task
    thread = await short_task
    if db.is_sqlite:
        assert order == ["loop ran", "long unit", "short unit"]
    else:  # several workers: the short unit need not wait
        assert order.index("short unit") < order.index("long unit")
    assert thread.startswith("db")
