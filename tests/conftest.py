"""Shared fixtures: both databases, and the in-process application harness."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import OperationalError

from storage.db import Database
from storage.migrate import upgrade
from storage.models import Base

POSTGRES_SERVER = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Our tables live in a schema of their own, so whatever else uses the shared `test` database
# cannot get in the way (and is never touched). KOPGROEP_TEST_SCHEMA lets parallel runs on one
# server keep apart.
SCHEMA = os.environ.get("KOPGROEP_TEST_SCHEMA", "kopgroep_test")
# In parallel (pytest-xdist) each worker (gw0, gw1, ...) has a schema of its own: each recreates
# and empties its own tables.
if os.environ.get("PYTEST_XDIST_WORKER"):
    SCHEMA = f"{SCHEMA}_{os.environ['PYTEST_XDIST_WORKER']}"
POSTGRES_URL = f"{POSTGRES_SERVER}{'&' if '?' in POSTGRES_SERVER else '?'}options=-csearch_path%3D{SCHEMA}"


E2E = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The end-to-end process tests are marked ``e2e`` (``-m "not e2e"``: the quick subset), and
    run first: they are the longest, so in parallel none of them is left to run alone at the end."""
    for item in items:
        if E2E in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)
    items.sort(key=lambda item: 0 if item.get_closest_marker("e2e") else 1)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating every time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The test PostgreSQL database, migrated from scratch once per run.

    Outside CI a missing server skips these tests; with REQUIRE_POSTGRES=1 (set by .ci/run)
    it fails them.
    """
    engine = create_engine(POSTGRES_SERVER)
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        engine.dispose()
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (REQUIRE_POSTGRES=1) but not reachable: {error}")
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()
    upgrade(POSTGRES_URL)
    return POSTGRES_URL


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = [t.name for t in Base.metadata.sorted_tables]
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """Each test that takes this runs on SQLite and on PostgreSQL, on an empty, migrated schema."""
    if request.param == "sqlite":
        path = tmp_path / "kopgroep.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.fixture
def core():
    from fake_telegram.core import FakeTelegram

    return FakeTelegram()


@pytest.fixture
def rate_limited() -> bool:
    """Tests run without PTB's rate limiter (it would wait out Telegram's 20 messages a minute
    per group in real time); a test that needs it overrides this fixture with True."""
    return False


@pytest.fixture
async def harness(core, db: Database, rate_limited: bool):
    """The application on the in-process fake Telegram, on SQLite and on PostgreSQL."""
    from fake_telegram.request import FakeTelegramRequest

    from bot.app import build_application
    from tests.harness import Harness, make_settings

    settings = make_settings(core, db.url)
    app = build_application(
        settings,
        db=db,
        request=FakeTelegramRequest(core),
        updates_request=FakeTelegramRequest(core),
        rate_limiter=rate_limited,
    )
    h = Harness(core, app, db)
    await h.start()
    yield h
    await h.stop()
    if h.errors:
        raise h.errors[0]
    # An edit that changes nothing is refused by Telegram: the bot should never try one.
    repeated = [
        (call.method, call.params.get("chat_id"), call.params.get("message_id"))
        for call in core.calls
        if call.method.startswith("edit") and not call.ok and "message is not modified" in str(call.error)
    ]
    assert not repeated, f"edits that repeat the current text: {repeated}"
