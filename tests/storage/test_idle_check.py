"""PostgreSQL's pooled connections: checked before use only after they rested (storage/db.py).

A connection the server closed while it rested is replaced before a unit uses it; one in recent
use is not checked (a round trip saved per unit), so if it died anyway its next unit fails once,
as a database that is away ("try again"), and the pool replaces it.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import OperationalError

import storage.db
from bot.errors import database_away
from storage.db import Database


def _backend(connection: Connection) -> int:
    return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _close_from_the_server(url: str, pid: int) -> None:
    """What a server restart or an idle timeout does to one connection."""
    admin = create_engine(url)
    try:
        with admin.begin() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
        for _ in range(100):  # the backend is gone once it no longer shows
            with admin.begin() as connection:
                if not connection.execute(text("SELECT 1 FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).all():
                    return
            time.sleep(0.05)
        raise AssertionError(f"backend {pid} did not end")
    finally:
        admin.dispose()


async def test_a_connection_closed_while_it_rested_is_replaced_before_use(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(postgres_url, pool_size=1)
    try:
        first = await db.run_short(_backend)
        _close_from_the_server(postgres_url, first)
        monkeypatch.setattr(storage.db, "CHECK_AFTER_IDLE", 0.0)  # it rested long enough
        second = await db.run_short(_backend)
        assert second != first
    finally:
        db.dispose()


async def test_a_connection_in_recent_use_is_not_checked_and_a_dead_one_fails_one_unit(postgres_url: str) -> None:
    db = Database(postgres_url, pool_size=1)
    try:
        first = await db.run_short(_backend)
        _close_from_the_server(postgres_url, first)
        with pytest.raises(OperationalError) as failure:  # no check: the unit finds out itself
            await db.run_short(_backend)
        assert database_away(failure.value)  # the user hears "try again"
        second = await db.run_short(_backend)
        assert second != first
    finally:
        db.dispose()
