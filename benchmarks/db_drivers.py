"""Cost of one committed insert per unit of work, per driver and path (the choice in storage/db.py).

Run: ``python -m benchmarks.db_drivers [--postgres URL] [--n 400]``. Needs ``aiosqlite`` and
``asyncpg`` for the async rows (``pip install aiosqlite asyncpg``); rows whose driver is missing
are skipped with a note. Prints medians; machines here are noisy, compare within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert

from storage.db import Database

metadata = MetaData()
probe = Table("bench_probe", metadata, Column("id", Integer, primary_key=True), Column("v", String(8)))


def _insert(session) -> None:  # type: ignore[no-untyped-def]
    session.execute(insert(probe).values(v="x"))


async def _through_database(url: str, n: int) -> float:
    """Our path: a sync session on the Database worker thread (one hop per unit of work)."""
    db = Database(url)
    metadata.drop_all(db.engine)
    metadata.create_all(db.engine)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        await db.run(_insert)
        times.append(time.perf_counter() - start)
    metadata.drop_all(db.engine)
    db.dispose()
    return statistics.median(times)


async def _through_async_session(url: str, n: int) -> float | None:
    """SQLAlchemy's AsyncSession with an async driver, for comparison."""
    try:
        from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(metadata.drop_all)
            await connection.run_sync(metadata.create_all)
    except (ImportError, ModuleNotFoundError):
        return None
    sessions = async_sessionmaker(engine)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        async with sessions.begin() as session:
            await session.execute(insert(probe).values(v="x"))
        times.append(time.perf_counter() - start)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.drop_all)
    await engine.dispose()
    return statistics.median(times)


async def main(postgres: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        sqlite_file = Path(folder) / "bench.db"
        rows = [
            ("sqlite3, WAL, worker thread (ours)", await _through_database(f"sqlite:///{sqlite_file}", n)),
            ("aiosqlite, AsyncSession", await _through_async_session(f"sqlite+aiosqlite:///{sqlite_file}", n)),
            ("psycopg 3, worker thread (ours)", await _through_database(postgres, n)),
            ("asyncpg, AsyncSession", await _through_async_session(postgres.replace("+psycopg", "+asyncpg"), n)),
        ]
    print(f"median per committed insert, {n} units of work each")
    for name, value in rows:
        print(f"  {name:40s} {'driver not installed' if value is None else f'{value * 1000:.3f} ms'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--n", type=int, default=400)
    arguments = parser.parse_args()
    create_engine(arguments.postgres).dispose()
    asyncio.run(main(arguments.postgres, arguments.n))
