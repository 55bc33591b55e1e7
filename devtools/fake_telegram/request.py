"""``FakeTelegramRequest``: run the real PTB stack against ``FakeTelegram`` in-process."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from .core import FakeTelegram
from .errors import ApiError, FakeTimeout

_API_PATH = re.compile(r"/bot([^/]+)/([^/]+)$")
_FILE_PATH = re.compile(r"/file/bot([^/]+)/(.+)$")


def _json(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode("utf-8")


def _error(code: int, description: str) -> tuple[int, bytes]:
    return code, _json({"ok": False, "error_code": code, "description": description})


class FakeTelegramRequest(BaseRequest):
    """A :class:`telegram.request.BaseRequest` answering from a :class:`FakeTelegram`.

    Usage::

        Application.builder().token(core.token).request(FakeTelegramRequest(core))
            .get_updates_request(FakeTelegramRequest(core)).build()
    """

    __slots__ = ("core", "_read_timeout", "requests")

    def __init__(self, core: FakeTelegram, *, read_timeout: float | None = 5.0) -> None:
        self.core = core
        self._read_timeout = read_timeout
        self.requests = 0

    @property
    def read_timeout(self) -> float | None:
        """Default read timeout (PTB adds getUpdates' ``timeout`` on top)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Decode PTB's request, run it on the core, encode the answer like Telegram."""
        self.requests += 1
        path = unquote(urlsplit(url).path)
        file_match = _FILE_PATH.search(path)
        if file_match:
            if file_match.group(1) != self.core.token:
                return _error(401, "Unauthorized")
            content = self.core.file_content(file_match.group(2))
            return (200, content) if content is not None else _error(404, "Not Found")
        match = _API_PATH.search(path)
        if not match:
            return _error(404, "Not Found")
        if match.group(1) != self.core.token:
            return _error(401, "Unauthorized")
        params, files = self._decode(request_data)
        try:
            result = await self.core.call_async(match.group(2), params, files)
        except ApiError as exc:
            return exc.error_code, _json(exc.to_json())
        except FakeTimeout as exc:
            if exc.dropped:
                raise NetworkError("connection dropped (simulated)") from exc
            raise TimedOut(f"Timed out (simulated, {exc.seconds}s)") from exc
        return 200, _json({"ok": True, "result": result})

    @staticmethod
    def _decode(
        request_data: RequestData | None,
    ) -> tuple[dict[str, Any], dict[str, tuple] | None]:
        """Parameters as Telegram receives them (strings) and uploaded files."""
        if request_data is None:
            return {}, None
        params: dict[str, Any] = dict(request_data.json_parameters)
        if not request_data.contains_files:
            return params, None
        files: dict[str, tuple] = {}
        for name, (filename, content, mime) in request_data.multipart_data.items():
            if hasattr(content, "read"):
                content = content.read()
            files[name] = (filename, bytes(content), mime)
        return params, files
