"""Exceptions raised by the fake Bot API."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error answer of the Bot API (``{"ok": false, ...}``)."""

    def __init__(self, error_code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> dict[str, Any]:
        """Return the JSON body Telegram would answer with."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return body


def bad_request(detail: str) -> ApiError:
    """Shortcut for a 400 ``Bad Request: <detail>`` error."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """Shortcut for a 403 ``Forbidden: <detail>`` error."""
    return ApiError(403, f"Forbidden: {detail}")


class FakeTimeout(Exception):
    """Raised by ``FakeTelegram.call`` when a "timeout" fault is injected.

    Transports decide what a timeout means: the HTTP server delays its answer by
    ``seconds``; the in-process request raises ``telegram.error.TimedOut``.
    ``executed`` tells whether the call was carried out anyway (``result``) or not.
    """

    def __init__(self, seconds: float, *, executed: bool = False, result: Any = None, dropped: bool = False) -> None:
        super().__init__(f"simulated {'dropped connection' if dropped else 'timeout'} ({seconds}s)")
        self.seconds = seconds
        self.dropped = dropped  # the connection closes without an answer (NetworkError in-process)
        self.executed = executed
        self.result = result
