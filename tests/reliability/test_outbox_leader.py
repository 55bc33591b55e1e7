"""One sender per database: on PostgreSQL the holder of an advisory lock; another instance takes
over when the holder's connection dies (a killed process), and not before."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from bot import outbox as sender_module
from bot.outbox import Leadership
from storage.db import Database


async def test_only_one_instance_sends_and_another_takes_over_when_it_dies(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_db, second_db = Database(postgres_url), Database(postgres_url)
    first, second = Leadership(first_db), Leadership(second_db)
    try:
        assert await first.hold()
        assert not await second.hold()  # the lock is held: the second instance only queues
        assert await first.hold()  # still the sender
        # Another installation in another schema of the same database elects its own sender.
        other_db = Database(postgres_url.split("?")[0] + "?options=-csearch_path%3Dpublic")
        other = Leadership(other_db)
        try:
            assert await other.hold()
        finally:
            other.release()
            other_db.dispose()
        # The first instance dies: its connection (and with it the lock) goes.
        pid = first.connection.execute(text("SELECT pg_backend_pid()")).scalar()
        first.connection.commit()
        with second_db.engine.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        await _gone(second_db, pid)  # the server ends the backend (and frees its locks) a moment later
        assert await second.hold()  # taken over
        monkeypatch.setattr(sender_module, "LEADER_CHECK", 0.0)
        assert not await first.hold()  # the old holder notices it lost the lock and does not send
    finally:
        first.release()
        second.release()
        first_db.dispose()
        second_db.dispose()


async def _gone(db: Database, pid: int) -> None:
    """Wait (at most 5 s) until the server has ended backend ``pid``."""
    for _ in range(100):
        with db.engine.connect() as connection:
            if not connection.execute(text("SELECT 1 FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).first():
                return
        await asyncio.sleep(0.05)
    raise AssertionError(f"backend {pid} still there after 5 s")


async def test_on_sqlite_the_one_process_sends(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'one.db'}")
    try:
        assert await Leadership(db).hold()
    finally:
        db.dispose()
