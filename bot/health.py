"""``GET /healthz``: is this instance fit to take updates? The database and the update worker.

A load balancer (Caddy's ``health_uri``) and Docker's HEALTHCHECK read it: 200 with
``{"status": "ok", ...}`` when the database answers a query within a few seconds and the worker
is alive (the webhook inbox looked at its table recently; in polling mode the updater runs), 503
naming what is wrong otherwise. An instance whose event loop hangs does not answer at all,
which the checks count as a failure too.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import tornado.web
from sqlalchemy import text
from telegram.ext import Application

DATABASE_TIMEOUT = 5.0

# The worker's state: None when fine, else a few words on what is wrong.
WorkerCheck = Callable[[], str | None]


async def database_problem(application: Application) -> str | None:
    """None when the database answers ``SELECT 1`` in time, else what went wrong (no secrets)."""
    db = application.bot_data["services"].db

    def ping(connection) -> None:  # type: ignore[no-untyped-def]
        connection.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(db.run_short(ping), DATABASE_TIMEOUT)
    except TimeoutError:
        return f"no answer in {DATABASE_TIMEOUT:.0f} s"
    except Exception as error:  # any failure means: not fit
        return f"unreachable ({type(error).__name__})"
    return None


def polling_worker(application: Application) -> WorkerCheck:
    """Polling mode: the application and its updater run."""

    def problem() -> str | None:
        if not application.running:
            return "stopped"
        if application.updater is None or not application.updater.running:
            return "not polling"
        return None

    return problem


class HealthHandler(tornado.web.RequestHandler):
    def initialize(self, bot_application: Application, worker: WorkerCheck) -> None:
        self.bot_application = bot_application
        self.worker = worker

    async def get(self) -> None:
        database = await database_problem(self.bot_application)
        worker = self.worker()
        report = {
            "status": "ok" if database is None and worker is None else "failing",
            "database": database or "ok",
            "worker": worker or "ok",
        }
        self.set_status(200 if report["status"] == "ok" else 503)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps(report))


def health_route(application: Application, worker: WorkerCheck) -> tuple:
    return (r"/healthz", HealthHandler, {"bot_application": application, "worker": worker})


def probe(settings) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """``kopgroep healthcheck`` (Docker's HEALTHCHECK): this machine's /healthz; exit status, one line."""
    import urllib.error
    import urllib.request

    if settings.mode == "webhook":
        host, port = settings.listen_host, settings.listen_port
    elif settings.screen_host is not None:
        host, port = settings.screen_host, settings.screen_port
    else:
        return 1, "no /healthz: in polling mode it is served on SCREEN_LISTEN, which is off"
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return 0, answer.read().decode()
    except urllib.error.HTTPError as error:
        return 1, error.read().decode() or f"{url}: HTTP {error.code}"
    except OSError as error:
        return 1, f"{url} does not answer ({getattr(error, 'reason', error)})"
