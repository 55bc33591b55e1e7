"""Sending within Telegram's limits without being told off: sliding windows, not bursts.

Telegram's broadcasting limits (core.telegram.org/bots/faq): about 30 messages a second overall,
no more than one a second in one chat, 20 a minute in one group. PTB's ``AIORateLimiter`` uses
leaky buckets that let 30 go at once and then 30 more in the next second, and it has no
per-chat limit: a round opened in many groups got 429s, and each 429 holds every request back
for its retry_after (benchmarks/sending.py went from 65% of the limit to over 90% with this).

Here every limit is "at most N in any window of T seconds", counted when a message leaves:

* overall: 30 per second, for every request aimed at a chat (as PTB counts);
* per chat: 1 per second, and per group 20 per minute, for the requests that post a message.

A message waits for its own chat first (other chats go on meanwhile), then for the overall
window. The windows are a few percent longer than Telegram's, for the jitter between leaving
here and arriving there. A 429 that still comes holds everything back for its retry_after and
the request is tried again (``max_retries`` times).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

SLACK = 1.03  # windows 3% longer than Telegram's
OVERALL_PER_SECOND = 30
PER_CHAT_PER_SECOND = 1
PER_GROUP_PER_MINUTE = 20
RESERVED = 2  # of the 30 a second, kept for answering updates while the outbox sends in bulk


class Window:
    """At most ``limit`` events in any ``period`` seconds."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit, self.period = limit, period
        self.times: deque[float] = deque()

    def wait(self, now: float, limit: int | None = None) -> float:
        """Seconds until one more event fits (0: it fits now), under ``limit`` when given."""
        while self.times and self.times[0] <= now - self.period:
            self.times.popleft()
        limit = self.limit if limit is None else limit
        return 0.0 if len(self.times) < limit else self.times[len(self.times) - limit] + self.period - now

    def take(self, now: float) -> None:
        self.times.append(now)


class ChatLimits:
    """One chat's windows, and a lock so its messages queue in order."""

    def __init__(self, is_group: bool) -> None:
        self.lock = asyncio.Lock()
        self.windows = [Window(PER_CHAT_PER_SECOND, 1.0 * SLACK)]
        if is_group:
            self.windows.append(Window(PER_GROUP_PER_MINUTE, 60.0 * SLACK))

    def idle(self, now: float) -> bool:
        for window in self.windows:
            window.wait(now)  # drops what has left the window
        return not self.lock.locked() and not any(window.times for window in self.windows)


class TelegramRateLimiter(BaseRateLimiter[int]):
    """A ``BaseRateLimiter`` for ``ApplicationBuilder.rate_limiter`` (see the module docstring)."""

    def __init__(self, max_retries: int = 3) -> None:
        self.max_retries = max_retries
        self._overall = Window(OVERALL_PER_SECOND, 1.0 * SLACK)
        self._overall_lock = asyncio.Lock()
        self._bulk_lock = asyncio.Lock()
        self._chats: dict[int | str, ChatLimits] = {}
        self._paused_until = 0.0

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for the windows this request counts against, then send; retry after a 429."""
        chat_id = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[arg-type]
        posts = endpoint.startswith("send") or endpoint in ("copyMessage", "forwardMessage")
        # A negative number: no retry here (the outbox's sender waits out a 429 for that chat only).
        retries = self.max_retries if not rate_limit_args else max(rate_limit_args, 0)
        for attempt in range(retries + 1):
            if chat_id is not None:
                await self._acquire(chat_id, posts, bulk=rate_limit_args is not None and rate_limit_args < 0)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == retries:
                    raise
                seconds = _seconds(error)
                log.info("Telegram asked to wait %.1f s (%s)", seconds, endpoint)
                loop = asyncio.get_running_loop()
                self._paused_until = max(self._paused_until, loop.time() + seconds + 0.1)
        raise AssertionError("unreachable")

    def chat_wait(self, chat_id: int) -> float:
        """Seconds until a message to this chat fits its own windows (0: now, and nothing queued)."""
        limits = self._chats.get(chat_id)
        if limits is None:
            return 0.0
        now = asyncio.get_running_loop().time()
        if limits.lock.locked():
            return 1.0
        return max(window.wait(now) for window in limits.windows)

    async def _acquire(self, chat_id: int | str, posts: bool, *, bulk: bool = False) -> None:
        loop = asyncio.get_running_loop()
        if not posts:
            await self._take_overall(loop, [], bulk=bulk)
            return
        limits = self._chat(chat_id, loop.time())
        async with limits.lock:  # this chat's messages in order; other chats are not held up
            while (pause := max(window.wait(loop.time()) for window in limits.windows)) > 0:
                await asyncio.sleep(pause)
            await self._take_overall(loop, limits.windows, bulk=bulk)

    async def _take_overall(self, loop: asyncio.AbstractEventLoop, windows: list[Window], *, bulk: bool = False) -> None:
        """Bulk sending (the outbox's sender) queues apart and leaves ``RESERVED`` of each second
        to the answers of updates, so a press is never queued behind 300 groups' ballots."""
        limit = OVERALL_PER_SECOND - RESERVED if bulk else None
        async with self._bulk_lock if bulk else self._overall_lock:
            while (pause := max(self._overall.wait(loop.time(), limit), self._paused_until - loop.time())) > 0:
                await asyncio.sleep(pause)
            now = loop.time()
            self._overall.take(now)
            for window in windows:
                window.take(now)

    def _chat(self, chat_id: int | str, now: float) -> ChatLimits:
        if chat_id not in self._chats:
            if len(self._chats) > 1000:  # forget chats with nothing left in their windows
                for key in [key for key, limits in self._chats.items() if limits.idle(now)]:
                    del self._chats[key]
            is_group = isinstance(chat_id, str) or chat_id < 0
            self._chats[chat_id] = ChatLimits(is_group)
        return self._chats[chat_id]


def _seconds(error: RetryAfter) -> float:
    """retry_after in seconds, whether PTB gives an int or (opted in) a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value if isinstance(value, int | float) else value.total_seconds()
