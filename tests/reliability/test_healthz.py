"""/healthz says whether the instance is fit: 200 when the database answers and the inbox worker
looks at its table, 503 naming the part that is down, stopped or hung."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
import tornado.httpserver
import tornado.netutil

from bot.inbox import Inbox
from bot.webhook import webhook_app
from tests.harness import Harness
from tests.reliability.test_database_away import database_down


@pytest.fixture
async def served(harness: Harness) -> AsyncIterator[tuple[Inbox, str]]:
    """The webhook front of one instance with its inbox worker, on a free loopback port."""
    inbox = Inbox(harness.app, harness.db, "health-test", poll=0.05)
    inbox.task = asyncio.create_task(inbox.run())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = tornado.httpserver.HTTPServer(webhook_app(inbox, "/telegram", "secret"))
    server.add_sockets(tornado.netutil.bind_sockets(port, "127.0.0.1"))
    yield inbox, f"http://127.0.0.1:{port}/healthz"
    server.stop()
    await inbox.stop()
    inbox.task.cancel()
    await asyncio.gather(inbox.task, return_exceptions=True)


async def health(url: str) -> tuple[int, dict]:
    async with httpx.AsyncClient() as client:
        answer = await client.get(url, timeout=10)
    return answer.status_code, answer.json()


async def until_beat(inbox: Inbox) -> None:
    for _ in range(200):
        if inbox.beat is not None:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the inbox worker never completed a look")


async def test_fit_instance(served: tuple[Inbox, str]) -> None:
    inbox, url = served
    await until_beat(inbox)
    assert await health(url) == (200, {"status": "ok", "database": "ok", "worker": "ok"})


async def test_database_down(served: tuple[Inbox, str], harness: Harness) -> None:
    inbox, url = served
    await until_beat(inbox)
    with database_down(harness.db):
        status, report = await health(url)
    assert status == 503 and report["status"] == "failing"
    assert report["database"] == "unreachable (OperationalError)"
    assert await health(url) == (200, {"status": "ok", "database": "ok", "worker": "ok"})  # back


async def test_worker_hung(served: tuple[Inbox, str], monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, url = served
    await until_beat(inbox)
    inbox.hung_after = 0.3
    stuck = asyncio.Event()

    async def never(*args, **kwargs):  # type: ignore[no-untyped-def]
        await stuck.wait()  # a query that never returns

    monkeypatch.setattr(inbox.db, "run", never)
    await asyncio.sleep(0.6)
    status, report = await health(url)
    assert status == 503 and report["database"] == "ok"
    assert report["worker"].startswith("hung (last look ")
    stuck.set()
    monkeypatch.undo()


async def test_worker_stopped(served: tuple[Inbox, str]) -> None:
    inbox, url = served
    await until_beat(inbox)
    assert inbox.task is not None
    inbox.task.cancel()
    await asyncio.gather(inbox.task, return_exceptions=True)
    status, report = await health(url)
    assert (status, report["worker"], report["database"]) == (503, "stopped", "ok")
