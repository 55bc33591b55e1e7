"""Fixtures of the screen tests: the screen's routes served on loopback, on the test's loop."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
import tornado.httpserver
import tornado.netutil

from conversations.screen_web import screen_app
from tests.harness import Harness
from tests.screen.screen_helpers import hub_of


@pytest.fixture
async def served(harness: Harness) -> AsyncIterator[tuple[Harness, str]]:
    """The screen's routes on a loopback port, on the test's event loop."""
    hub_of(harness).interval = 0.05  # look often: the test need not wait a second per change
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1", family=socket.AF_INET)
    server = tornado.httpserver.HTTPServer(screen_app(harness.app))
    server.add_sockets(sockets)
    yield harness, f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
    hub_of(harness).close()
    server.stop()
    await asyncio.wait_for(server.close_all_connections(), timeout=5)
