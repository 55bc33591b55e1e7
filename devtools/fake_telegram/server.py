"""``FakeTelegramServer``: the fake Bot API over real HTTP (tornado), for e2e runs.

Routes: ``/bot<token>/<method>`` (GET/POST; form, multipart or JSON) and
``/file/bot<token>/<file_path>``. Answers and HTTP status codes follow Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from typing import Any

import tornado.httpserver
import tornado.iostream
import tornado.netutil
import tornado.web

from .core import FakeTelegram
from .errors import ApiError, FakeTimeout
from .webhook import WebhookPusher

_MAX_BODY = 60 * 1024 * 1024
_LOG = logging.getLogger(__name__)


def _log_request(handler: tornado.web.RequestHandler) -> None:
    """Access log at DEBUG level (4xx answers are expected in tests)."""
    _LOG.debug("%d %s", handler.get_status(), handler._request_summary())


class _Handler(tornado.web.RequestHandler):
    """Shared helpers: access to the server and Telegram-style answers."""

    def initialize(self, server: FakeTelegramServer) -> None:
        self.server = server
        self.core = server.core

    def check_xsrf_cookie(self) -> None:  # API clients send no cookies
        return None

    def answer(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        with contextlib.suppress(tornado.iostream.StreamClosedError):
            self.finish(json.dumps(body))

    def error(self, status: int, description: str) -> None:
        self.answer(status, {"ok": False, "error_code": status, "description": description})


class _ApiHandler(_Handler):
    async def get(self, token: str, method: str) -> None:
        if token != self.core.token:
            self.error(401, "Unauthorized")
            return
        try:
            params, files = self._decode()
        except ValueError:
            self.error(400, "Bad Request: can't parse request body")
            return
        try:
            result = await self.core.call_async(method, params, files)
        except ApiError as exc:
            self.answer(exc.error_code, exc.to_json())
            return
        except FakeTimeout as exc:
            if exc.dropped:
                self.request.connection.close()
                return
            await asyncio.sleep(exc.seconds)
            if exc.executed:
                self.answer(200, {"ok": True, "result": exc.result})
            else:
                self.error(502, "Bad Gateway")
            return
        self.answer(200, {"ok": True, "result": result})

    post = get

    def _decode(self) -> tuple[dict[str, Any], dict[str, tuple] | None]:
        request = self.request
        content_type = request.headers.get("Content-Type", "")
        params: dict[str, Any] = {name: values[-1].decode("utf-8") for name, values in request.query_arguments.items()}
        if content_type.startswith("application/json"):
            if request.body.strip():
                body = json.loads(request.body)
                if not isinstance(body, dict):
                    raise ValueError("JSON body must be an object")
                params.update(body)
            return params, None
        for name, values in request.body_arguments.items():
            params[name] = values[-1].decode("utf-8")
        files = {
            name: (parts[-1].filename, parts[-1].body, parts[-1].content_type) for name, parts in request.files.items()
        }
        return params, files or None


class _FileHandler(_Handler):
    def get(self, token: str, file_path: str) -> None:
        if token != self.core.token:
            self.error(401, "Unauthorized")
            return
        content = self.core.file_content(file_path)
        if content is None:
            self.error(404, "Not Found")
            return
        self.set_header("Content-Type", "application/octet-stream")
        self.finish(content)


class FakeTelegramServer:
    """Serve a :class:`FakeTelegram` on ``http://host:port`` (port 0 = any free port)."""

    def __init__(
        self,
        core: FakeTelegram,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        webhook_retry_max: float = 1.0,
    ) -> None:
        self.core = core
        self.host = host
        self.port = port
        self.pusher = WebhookPusher(core, retry_max=webhook_retry_max)
        self._http: tornado.httpserver.HTTPServer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://host:port`` (use ``f"{base_url}/bot"`` as PTB's base_url)."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> str:
        """Listen and start the webhook pusher; returns :attr:`base_url`."""
        app = tornado.web.Application(
            [
                (r"/bot([^/]+)/([^/]+)", _ApiHandler, {"server": self}),
                (r"/file/bot([^/]+)/(.+)", _FileHandler, {"server": self}),
            ],
            log_function=_log_request,
        )
        sockets = tornado.netutil.bind_sockets(self.port, self.host)
        self.port = sockets[0].getsockname()[1]
        self._http = tornado.httpserver.HTTPServer(app, max_body_size=_MAX_BODY)
        self._http.add_sockets(sockets)
        self._loop = asyncio.get_running_loop()
        self.pusher.start()
        return self.base_url

    async def stop(self) -> None:
        """Stop listening, end pending long polls and the webhook pusher."""
        if self._http is None:
            return
        self._http.stop()
        self.core.interrupt_waiters(self._loop)
        await self.pusher.stop()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._http.close_all_connections(), 5)
        self._http = None

    async def __aenter__(self) -> FakeTelegramServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ---------------------------------------------------------------- thread mode
    def start_in_thread(self, timeout: float = 10.0) -> str:
        """Run the server on its own event loop in a daemon thread; returns base_url."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:  # report to the starting thread
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._thread = threading.Thread(target=run, name="fake-telegram-server", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError("fake Telegram server did not start")
        if failure:
            raise failure[0]
        return self.base_url

    def stop_thread(self, timeout: float = 10.0) -> None:
        """Stop a server started with :meth:`start_in_thread`."""
        if self._thread is None or self._loop is None:
            return
        loop = self._loop
        asyncio.run_coroutine_threadsafe(self.stop(), loop).result(timeout)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(timeout)
        self._thread = None
