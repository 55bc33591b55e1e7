"""Polling mode: updates of different chats at once, updates of one chat one after the other.

PTB processes updates one at a time by default, so a round opened in 200 groups sends its
ballots at half of Telegram's rate (docs/performance.md, benchmark 3). Plain ``concurrent_updates``
would fix that but let two updates of one chat overtake each other (a press before the ballot it
belongs to, an answer before its question). This processor keeps a chain per lane (the chat, else
the user, as the webhook inbox does in bot/inbox.py): an update waits for the one before it in its
lane, and only then for a free slot, so a waiting update never holds a slot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates in flight at once. The database runs one unit of work at a time on SQLite (and a small
# pool on PostgreSQL), so more would mostly wait there; this is enough to keep sending at the limit.
MAX_CONCURRENT = 16
# Updates accepted at once, waiting ones included; beyond this PTB's fetcher waits.
IN_FLIGHT = 4096


def lane_of(update: object) -> int | None:
    """The chat an update belongs to, else its user; None for updates of neither (polls, ...)."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return None


def ordering_lane(update: object) -> object:
    """The chain an update waits in. Button presses have a chain of their own per chat: a press
    answers a message that is there already, so it never waits behind the chat's commands and
    their replies (Telegram gives up on a press not answered within seconds)."""
    lane = lane_of(update)
    if isinstance(update, Update) and update.callback_query is not None:
        return ("press", lane)
    return lane


class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across chats, in arrival order within a chat."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT) -> None:
        # PTB's own semaphore only bounds how many updates are in flight (waiting included): it
        # must not block, or updates could enter below out of order. Ours bounds the running ones.
        super().__init__(IN_FLIGHT)
        self._running = asyncio.Semaphore(max_concurrent_updates)
        # The last update of each lane still in flight: the next one of that lane waits for it.
        self._tails: dict[object, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the lane's previous update, then for a free slot, then run the handlers.

        PTB starts this for each update in arrival order, and nothing here awaits before the
        lane's tail is replaced, so each lane's chain follows arrival order."""
        lane = ordering_lane(update)
        previous = self._tails.get(lane)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[lane] = done
        started = False
        try:
            if previous is not None:
                await asyncio.shield(previous)
            async with self._running:
                started = True
                await coroutine
        finally:
            if not started and asyncio.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting (shutdown): it never ran
            done.set_result(None)
            if self._tails.get(lane) is done:
                del self._tails[lane]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release: the application awaits the updates in flight."""
