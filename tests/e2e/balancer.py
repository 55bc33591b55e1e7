"""A small loopback load balancer for e2e runs: round robin over the bot instances' webhooks.

Like Caddy's ``reverse_proxy`` with ``lb_try_duration``: a backend that refuses the connection
is skipped and the next one tried; a backend that dies after taking the request gives 502, and
Telegram (the fake server's pusher) pushes the update again.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

_FORWARDED = ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")


class Balancer:
    """``http://127.0.0.1:<port>``: POSTs go to the backends in turn (same path and headers)."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self.served: Counter[str] = Counter()  # answered requests per backend
        self._turn = itertools.count()
        self._lock = threading.Lock()
        balancer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {name: self.headers[name] for name in _FORWARDED if self.headers.get(name)}
                status = balancer.forward(self.path, body, headers)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="balancer", daemon=True)

    def forward(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        with self._lock:
            start = next(self._turn)
            order = [self.backends[(start + i) % len(self.backends)] for i in range(len(self.backends))]
        for backend in order:
            try:
                response = httpx.post(backend + path, content=body, headers=headers, timeout=10)
            except httpx.ConnectError:
                continue  # down: try the next one
            except httpx.HTTPError:
                return 502  # died while handling it
            with self._lock:
                self.served[backend] += 1
            return response.status_code
        return 502

    def start(self) -> str:
        self._thread.start()
        return self.url

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class CaddyBalancer:
    """deploy/Caddyfile itself, run by a local ``caddy`` in front of the instances (plain HTTP on
    loopback): how the e2e test checks the deployment's proxy settings where Caddy is installed."""

    def __init__(self, backends: list[str], port: int, admin_port: int, folder: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.served = None  # Caddy does not tell
        self._env = {
            **os.environ,
            "DOMAIN": f":{port}",
            "BACKENDS": " ".join(backend.removeprefix("http://") for backend in backends),
            "CADDY_ADMIN": f"127.0.0.1:{admin_port}",
            "HOME": str(folder),
            "XDG_DATA_HOME": str(folder),
            "XDG_CONFIG_HOME": str(folder),
        }
        self._log = folder / "caddy.log"
        self._process: subprocess.Popen | None = None

    def start(self) -> str:
        caddyfile = Path(__file__).resolve().parents[2] / "deploy" / "Caddyfile"
        self._process = subprocess.Popen(
            ["caddy", "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
            env=self._env,
            stdout=self._log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url + "/", timeout=1)
                return self.url
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError(self._log.read_text())

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)
