"""Fixtures of the reliability tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fake_telegram.core import FakeTelegram
from fake_telegram.server import FakeTelegramServer

from bot.app import build_application
from storage.db import Database
from tests.harness import Harness, make_settings


@pytest.fixture
async def over_http(database_url: str) -> AsyncIterator[Harness]:
    """The application talking to the fake Bot API over real HTTP (httpx, as in production)."""
    core = FakeTelegram()
    server = FakeTelegramServer(core)
    base_url = server.start_in_thread()
    db = Database(database_url)
    app = build_application(
        make_settings(core, database_url, TELEGRAM_API_BASE_URL=base_url), db=db, rate_limiter=False
    )
    harness = Harness(core, app, db)
    await harness.start()
    yield harness
    await harness.stop()
    server.stop_thread()
    if harness.errors:
        raise harness.errors[0]
