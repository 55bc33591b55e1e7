"""Webhook mode: an HTTP endpoint that stores each update before answering, and the inbox workers.

PTB's own webhook server answers 200 before the update is processed and keeps it only in memory,
so an instance stopped at the wrong moment would lose it. Here the endpoint writes the update to
the ``inbound_update`` table first and only then answers 200 (any error: 500, and Telegram pushes
it again); the workers of every instance process the table (bot/inbox.py). Several identical
instances can therefore sit behind one load balancer on one PostgreSQL database.

Routes: ``POST /<path of WEBHOOK_URL>`` (with the secret header, else 403) and ``GET /healthz``
for the load balancer and Docker (the database and the inbox worker, bot/health.py).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.health import health_route
from bot.inbox import Inbox
from conversations import screen_web

log = logging.getLogger("kopgroep.webhook")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_MAX_BODY = 1024 * 1024  # updates are small; files come by file_id


class _UpdateHandler(tornado.web.RequestHandler):
    def initialize(self, inbox: Inbox, secret: str) -> None:
        self.inbox = inbox
        self.secret = secret

    def check_xsrf_cookie(self) -> None:  # Telegram sends no cookies
        return None

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.set_status(403)
            return
        try:
            payload = json.loads(self.request.body)
            if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
                raise ValueError("not an update")
        except ValueError:
            self.set_status(400)
            return
        try:
            await self.inbox.receive(payload)
        except Exception:
            log.exception("update %s not stored; Telegram will push it again", payload["update_id"])
            self.set_status(500)
            return
        self.set_status(200)


def webhook_app(inbox: Inbox, path: str, secret: str, extra: list[tuple] | None = None) -> tornado.web.Application:
    """The endpoint's routes; ``path`` is the WEBHOOK_URL's path (``/telegram``); ``extra``: more
    routes behind the same front (the meeting room's screen). ``/healthz``: bot/health.py."""
    return tornado.web.Application(
        [
            health_route(inbox.application, inbox.problem),
            (path if path.startswith("/") else "/" + path, _UpdateHandler, {"inbox": inbox, "secret": secret}),
            *(extra or []),
        ],
        log_function=lambda handler: None,  # Telegram's pushes would fill the log; errors are logged above
    )


def run_webhook(settings: Settings, application: Application) -> None:
    """Serve until SIGINT or SIGTERM."""
    asyncio.run(_serve(settings, application))


async def _serve(settings: Settings, application: Application) -> None:
    from conversations.dream_reminders import instance_id

    assert settings.webhook_url is not None and settings.webhook_secret is not None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    services = application.bot_data["services"]
    async with application:  # initialize, then shutdown on the way out
        if application.post_init is not None:
            await application.post_init(application)
        inbox = Inbox(application, services.db, instance_id(application))
        sockets = tornado.netutil.bind_sockets(settings.listen_port, settings.listen_host)
        server = tornado.httpserver.HTTPServer(
            webhook_app(inbox, urlsplit(settings.webhook_url).path or "/", settings.webhook_secret, screen_web.routes(application)),
            max_body_size=_MAX_BODY,
        )
        server.add_sockets(sockets)
        await application.start()  # the job queue: reminders, deadlines
        # Every instance sets the same URL: harmless, and whichever starts first makes it right.
        await application.bot.set_webhook(
            settings.webhook_url, secret_token=settings.webhook_secret, allowed_updates=Update.ALL_TYPES
        )
        worker = asyncio.create_task(inbox.run(), name="inbox")
        inbox.task = worker  # /healthz: a worker that ended is not fit
        log.info("webhook on %s:%s, instance %s", settings.listen_host, settings.listen_port, inbox.instance_id)
        await stop.wait()
        log.info("stopping: no new updates taken; finishing the ones in hand")
        application.bot_data["screen_hub"].close()
        server.stop()
        await inbox.stop()
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
        await server.close_all_connections()
        await application.stop()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
