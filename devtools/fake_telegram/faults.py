"""Error injection and Telegram's flood limits for the fake Bot API."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import ApiError, FakeTimeout, forbidden

FAULT_KINDS = ("429", "500", "502", "403", "timeout", "drop")
# Methods counted against Telegram's sending limits.
LIMITED_METHODS = frozenset({"sendMessage", "sendDocument", "sendPhoto"})


@dataclass
class Fault:
    """One injected failure; ``remaining`` counts down (None = forever)."""

    method: str | None
    chat_id: int | str | None
    kind: str
    remaining: int | None
    retry_after: int = 1
    timeout_seconds: float = 1.0
    executed: bool = False
    hits: int = 0

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        """Whether this fault applies to a call (method=None: all but getUpdates)."""
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.method is None:
            if method == "getUpdates":
                return False
        elif self.method.lower() != method.lower():
            return False
        if self.chat_id is not None and str(params.get("chat_id")) != str(self.chat_id):
            return False
        return True

    def consume(self) -> None:
        """Count one hit."""
        self.hits += 1
        if self.remaining is not None:
            self.remaining -= 1

    def error(self) -> ApiError | None:
        """The ApiError this fault answers with (None for timeouts and dropped connections)."""
        if self.kind == "429":
            return ApiError(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        if self.kind == "500":
            return ApiError(500, "Internal Server Error")
        if self.kind == "502":
            return ApiError(502, "Bad Gateway")
        if self.kind == "403":
            return forbidden("bot was blocked by the user")
        return None

    def timeout(self, result: Any = None) -> FakeTimeout:
        """The FakeTimeout raised for a "timeout" fault."""
        if self.kind == "drop":  # the connection closes without an answer
            return FakeTimeout(0.0, executed=self.executed, result=result, dropped=True)
        return FakeTimeout(self.timeout_seconds, executed=self.executed, result=result)


@dataclass
class Limits:
    """Telegram's (approximate) broadcasting limits."""

    per_second_overall: int = 30
    per_second_per_chat: int = 1
    per_minute_per_group: int = 20


class RateLimiter:
    """Sliding-window counter answering 429 beyond :class:`Limits`."""

    def __init__(self, limits: Limits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self.clock = clock
        self._sent: deque[tuple[float, int, bool]] = deque()

    def check(self, chat_id: int, is_group: bool) -> None:
        """Raise a 429 ApiError when one more message to ``chat_id`` exceeds a limit."""
        now = self.clock()
        while self._sent and self._sent[0][0] <= now - 60:
            self._sent.popleft()
        last_second = [t for t, _, _ in self._sent if t > now - 1]
        if len(last_second) >= self.limits.per_second_overall:
            self._refuse(last_second[-self.limits.per_second_overall] + 1 - now)
        same_chat = [t for t, c, _ in self._sent if c == chat_id and t > now - 1]
        if len(same_chat) >= self.limits.per_second_per_chat:
            self._refuse(same_chat[-self.limits.per_second_per_chat] + 1 - now)
        if is_group:
            minute = [t for t, c, _ in self._sent if c == chat_id]
            if len(minute) >= self.limits.per_minute_per_group:
                self._refuse(minute[-self.limits.per_minute_per_group] + 60 - now)

    def record(self, chat_id: int, is_group: bool) -> None:
        """Remember one successfully sent message."""
        self._sent.append((self.clock(), chat_id, is_group))

    @staticmethod
    def _refuse(wait: float) -> None:
        seconds = max(1, math.ceil(wait))
        raise ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})
