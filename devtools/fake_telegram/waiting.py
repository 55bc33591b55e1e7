"""Polling helpers for tests: wait until the fake reaches some state."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from .core import FakeTelegram

Predicate = Callable[[FakeTelegram], Any]


_TOLERATED = (LookupError, TypeError, AttributeError)


class _Poll:
    """Evaluate a predicate under the core's lock; lookup errors count as "not yet"."""

    def __init__(self, core: FakeTelegram, predicate: Predicate, timeout: float, what: str):
        self.core = core
        self.predicate = predicate
        self.timeout = timeout
        self.what = what
        self.deadline = time.monotonic() + timeout
        self.last_error: BaseException | None = None

    def check(self) -> Any:
        with self.core.lock:
            try:
                return self.predicate(self.core)
            except _TOLERATED as exc:  # e.g. last_message(...) still None
                self.last_error = exc
                return None

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def error(self) -> AssertionError:
        hint = f" (last error: {self.last_error!r})" if self.last_error else ""
        return AssertionError(
            f"timed out after {self.timeout}s waiting for {self.what}{hint}\n"
            f"--- transcript ---\n{self.core.transcript()}"
        )


async def wait_for(
    core: FakeTelegram,
    predicate: Predicate,
    timeout: float = 10.0,
    *,
    interval: float = 0.02,
    what: str | None = None,
) -> Any:
    """Await until ``predicate(core)`` is truthy; return its value.

    LookupError/TypeError/AttributeError inside the predicate count as "not yet".
    Raises AssertionError (with the transcript) after ``timeout`` seconds.
    """
    poll = _Poll(core, predicate, timeout, what or repr(predicate))
    while True:
        value = poll.check()
        if value:
            return value
        if poll.expired():
            raise poll.error()
        await asyncio.sleep(interval)


def wait_for_sync(
    core: FakeTelegram,
    predicate: Predicate,
    timeout: float = 10.0,
    *,
    interval: float = 0.02,
    what: str | None = None,
) -> Any:
    """Blocking variant of :func:`wait_for` (bot running in another thread/process)."""
    poll = _Poll(core, predicate, timeout, what or repr(predicate))
    while True:
        value = poll.check()
        if value:
            return value
        if poll.expired():
            raise poll.error()
        time.sleep(interval)


def bot_message(chat: Any, *, since: int = 0, contains: str | None = None) -> Predicate:
    """Predicate: the first bot message in ``chat`` after the first ``since`` ones
    (optionally containing ``contains``); its value is that message."""

    def predicate(core: FakeTelegram) -> dict | None:
        for message in core.sent_messages(chat)[since:]:
            text = message.get("text") or message.get("caption") or ""
            if contains is None or contains in text:
                return message
        return None

    predicate.__qualname__ = f"bot_message({chat!r}, since={since}, contains={contains!r})"
    return predicate


async def wait_for_bot_message(
    core: FakeTelegram,
    chat: Any,
    *,
    since: int = 0,
    contains: str | None = None,
    timeout: float = 10.0,
) -> dict:
    """Await a bot message in ``chat`` (see :func:`bot_message`)."""
    what = f"a bot message in {chat!r} containing {contains!r}"
    return await wait_for(core, bot_message(chat, since=since, contains=contains), timeout, what=what)


def wait_for_bot_message_sync(
    core: FakeTelegram,
    chat: Any,
    *,
    since: int = 0,
    contains: str | None = None,
    timeout: float = 10.0,
) -> dict:
    """Blocking variant of :func:`wait_for_bot_message`."""
    what = f"a bot message in {chat!r} containing {contains!r}"
    return wait_for_sync(core, bot_message(chat, since=since, contains=contains), timeout, what=what)
