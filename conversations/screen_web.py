"""The meeting room's screen over HTTP: the page, its live updates, its chart (tornado).

Routes, all under ``/scherm/`` (``routes()``; bot/webhook.py mounts them beside the webhook,
``serve_with_polling`` gives them a server of their own in polling mode):

- ``GET /scherm/<token>``: the page, with the scene of the moment already in it;
- ``GET /scherm/<token>/live``: server-sent events, a ``state`` event whenever the page would
  change and ``ended`` when the link stops working; the page falls back to
- ``GET /scherm/<token>/stand``: the same state as JSON, for short polling;
- ``GET /scherm/<token>/grafiek/<round>.png``: the chart of a closed round, as the group got it;
- ``GET /scherm/static/screen.css|screen.js``: the page's own style and script (no build step,
  nothing from the internet).

The token is the only credential and opens only these routes for one group. Every look checks
it again against the database, so /scherm stop ends a page that is open within a second, on
whichever instance serves it: each instance reads the state from the database, none keeps it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from functools import cache

import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram.ext import Application
from tornado.iostream import StreamClosedError

from bot.context import Services
from bot.health import health_route, polling_worker
from bot.render import TEMPLATES
from conversations.screen_view import ScreenState, refused_state, screen_state
from conversations.voting_results import MIN_VOTERS_FOR_FIGURES, results_chart
from method.screen_link import read_token, screen_key
from storage import screen
from storage.models import utcnow
from storage.screen import SCENES

log = logging.getLogger("kopgroep.screen")

WEB = TEMPLATES / "web"
STATIC = {"screen.css": "text/css; charset=utf-8", "screen.js": "text/javascript; charset=utf-8"}
PREFIX = "/scherm"
INTERVAL = 1.0  # seconds between two looks of a live page: a vote shows within about a second
FULL_LOOK = 10.0  # seconds: a scene is read again at least this often, changed mark or not
HEARTBEAT = 15.0  # seconds: a comment line keeps proxies from closing a quiet stream
CHART_SCALE = 2.0  # the group's chart with twice the pixels: sharp when a projector enlarges it
MAX_LIVE = 200  # live pages one process serves at once; more get 503 (and poll instead)
HEADERS = {
    # Nothing from elsewhere, no inline script or style, not in a frame, no referrer with the token.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}
STATUS_CODES = {"ok": 200, "unknown": 404, "stopped": 410, "expired": 410, "closed": 410}


class ScreenHub:
    """What the handlers share: the services, the chart cache, the count of live pages."""

    def __init__(self, services: Services, *, interval: float = INTERVAL) -> None:
        self.services = services
        self.interval = interval
        self.key = screen_key(services.ballot_key)
        self.live = 0
        self.closing = asyncio.Event()
        self._charts: OrderedDict[tuple, bytes] = OrderedDict()
        # (token, pinned scene) -> (the glance's mark, when, the state): pages of one link share it.
        self._states: OrderedDict[tuple[str, str | None], tuple[tuple, float, ScreenState]] = OrderedDict()

    async def state(self, token: str, pinned: str | None) -> ScreenState:
        """One look at the group, for the page behind ``token``.

        A glance first (the link, and a mark of everything the scenes show: one statement); the
        whole scene is read and rendered again only when the mark moved, or after FULL_LOOK
        seconds (for what leaves no mark, such as a renamed theme).
        """
        texts, settings = self.services.texts, self.services.settings
        parts = read_token(self.key, token)
        if parts is None:
            return refused_state(texts, texts.lang(settings.language), "unknown")
        pinned = pinned if pinned in SCENES else None
        check, mark = await self.services.db.run(screen.glance, parts, utcnow())
        if not check.ok:
            return refused_state(
                texts, texts.lang(check.trajectory.language if check.trajectory else settings.language), check.status
            )
        key, now = (token, pinned), time.monotonic()
        kept = self._states.get(key)
        if kept is not None and kept[0] == mark and now - kept[1] < FULL_LOOK:
            self._states.move_to_end(key)
            return kept[2]
        look = await self.services.db.run(screen.look, parts, utcnow(), pinned)
        state = screen_state(
            texts,
            look,
            pinned=pinned,
            chart_url=f"{PREFIX}/{token}/grafiek/{{number}}.png",
            default_lang=settings.language,
        )
        if state.status == "ok":
            self._states[key] = (mark, now, state)
            self._states.move_to_end(key)
            while len(self._states) > 256:
                self._states.popitem(last=False)
        return state

    async def chart(self, token: str, number: int) -> tuple[str, bytes | None]:
        """(link status, the PNG of closed round ``number``; None when the group saw no chart)."""
        parts = read_token(self.key, token)
        if parts is None:
            return "unknown", None
        check, result = await self.services.db.run(screen.closed_round, parts, utcnow(), number)
        if not check.ok or check.trajectory is None or result is None or result.tally is None or result.round is None:
            return check.status, None
        if result.submitted < MIN_VOTERS_FOR_FIGURES or not result.tally.themes:
            return check.status, None
        lang = self.services.texts.lang(check.trajectory.language)
        key = (result.round.id, lang, tuple(sorted((result.names or {}).items())), json.dumps(result.round.outcome))
        png = self._charts.get(key)
        if png is None:
            # results_chart reads only the texts of what it is given; drawing takes ~0.2 s: off the loop.
            png = await asyncio.to_thread(results_chart, self.services, lang, result, scale=CHART_SCALE)  # type: ignore[arg-type]
            self._charts[key] = png
            while len(self._charts) > 32:
                self._charts.popitem(last=False)
        self._charts.move_to_end(key)
        return check.status, png

    async def pause(self) -> None:
        """Wait until the next look (sooner when the server stops)."""
        try:
            await asyncio.wait_for(self.closing.wait(), timeout=self.interval)
        except TimeoutError:
            pass

    def close(self) -> None:
        self.closing.set()


class _Handler(tornado.web.RequestHandler):
    def initialize(self, hub: ScreenHub) -> None:
        self.hub = hub

    def set_default_headers(self) -> None:
        for name, value in HEADERS.items():
            self.set_header(name, value)

    def pinned(self) -> str | None:
        chosen = self.get_query_argument("toon", None)
        return chosen if chosen in SCENES else None

    def write_error(self, status_code: int, **kwargs: object) -> None:
        self.finish(f"{status_code}")


class _PageHandler(_Handler):
    async def get(self, token: str) -> None:
        try:
            state = await self.hub.state(token, self.pinned())
        except Exception:
            log.exception("screen page not built")
            self.set_status(503)
            self.finish("503")
            return
        self.set_status(STATUS_CODES.get(state.status, 404))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page(self.hub, state, base=f"{PREFIX}/{token}"))


class _StateHandler(_Handler):
    async def get(self, token: str) -> None:
        state = await self.hub.state(token, self.pinned())
        self.set_status(STATUS_CODES.get(state.status, 404))
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(state.as_json()))


class _LiveHandler(_Handler):
    """Server-sent events: the state at once, then again whenever it changes."""

    gone = False

    def on_connection_close(self) -> None:
        self.gone = True

    async def get(self, token: str) -> None:
        hub = self.hub
        if hub.live >= MAX_LIVE:
            self.set_status(503)  # the page polls /stand instead
            self.finish()
            return
        first = await hub.state(token, self.pinned())
        if first.status != "ok":
            self.set_status(STATUS_CODES.get(first.status, 404))
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps(first.as_json()))
            return
        self.set_header("Content-Type", "text/event-stream; charset=utf-8")
        self.set_header("X-Accel-Buffering", "no")
        hub.live += 1
        try:
            await self._stream(token, first)
        except StreamClosedError:
            pass
        finally:
            hub.live -= 1

    async def _stream(self, token: str, state: ScreenState) -> None:
        hub, loop = self.hub, asyncio.get_running_loop()
        shown, quiet_since = None, loop.time()
        self.write("retry: 3000\n\n")
        while not self.gone and not hub.closing.is_set():
            if state.version != shown:
                event = "state" if state.status == "ok" else "ended"
                self.write(f"event: {event}\ndata: {json.dumps(state.as_json())}\n\n")
                await self.flush()
                shown, quiet_since = state.version, loop.time()
                if state.status != "ok":
                    return
            elif loop.time() - quiet_since > HEARTBEAT:
                self.write(": still here\n\n")
                await self.flush()
                quiet_since = loop.time()
            await hub.pause()
            try:
                state = await hub.state(token, self.pinned())
            except Exception:
                log.exception("screen look failed; trying again")


class _ChartHandler(_Handler):
    async def get(self, token: str, number: str) -> None:
        status, png = await self.hub.chart(token, int(number))
        if png is None:
            self.set_status(STATUS_CODES.get(status, 404) if status != "ok" else 404)
            self.finish()
            return
        self.set_header("Content-Type", "image/png")
        self.set_header("Cache-Control", "private, max-age=300")
        self.finish(png)


class _StaticHandler(_Handler):
    def get(self, name: str) -> None:
        self.set_header("Content-Type", STATIC[name])
        self.set_header("Cache-Control", "public, max-age=3600")
        self.finish(static_file(name))


class _NotFound(_Handler):
    def get(self, *_: str) -> None:
        self.set_status(404)
        self.finish("404")


@cache
def static_file(name: str) -> bytes:
    return (WEB / name).read_bytes()


def page(hub: ScreenHub, state: ScreenState, *, base: str) -> str:
    texts = hub.services.texts
    template = texts.env.get_template("web/screen.html.j2")

    def label(key: str, **values: object) -> str:
        return texts.label(state.lang, f"screen.{key}", **values)

    return template.render(state=state, base=base, static=f"{PREFIX}/static", label=label, scenes=SCENES)


def routes(application: Application) -> list[tuple]:
    """The screen's routes, for a tornado application (bot/webhook.py adds them to its own)."""
    hub = application.bot_data.get("screen_hub")
    if hub is None:
        hub = application.bot_data["screen_hub"] = ScreenHub(application.bot_data["services"])
    options = {"hub": hub}
    token = r"([^/]*)"
    return [
        (rf"{PREFIX}/static/(screen\.css|screen\.js)", _StaticHandler, options),
        (rf"{PREFIX}/{token}/live", _LiveHandler, options),
        (rf"{PREFIX}/{token}/stand", _StateHandler, options),
        (rf"{PREFIX}/{token}/grafiek/([0-9]{{1,6}})\.png", _ChartHandler, options),
        (rf"{PREFIX}/{token}", _PageHandler, options),
        (rf"{PREFIX}/(.*)", _NotFound, options),
    ]


def screen_app(application: Application) -> tornado.web.Application:
    return tornado.web.Application(routes(application), log_function=lambda handler: None)


def serve_with_polling(application: Application) -> None:
    """Polling mode: the screen gets a server of its own on SCREEN_LISTEN, started with the bot.

    The address is taken now, so one that is in use stops the start (OSError) before polling
    begins; the server runs on the bot's event loop from post_init and stops at post_stop.
    """
    settings = application.bot_data["services"].settings
    if settings.screen_host is None:
        return
    sockets = tornado.netutil.bind_sockets(settings.screen_port, settings.screen_host)
    earlier_init, earlier_stop = application.post_init, application.post_stop
    server: list[tornado.httpserver.HTTPServer] = []

    async def post_init(app: Application) -> None:
        if earlier_init is not None:
            await earlier_init(app)
        # Beside the screen, /healthz for Docker's HEALTHCHECK (the database, the updater).
        routes_ = [health_route(app, polling_worker(app)), *routes(app)]
        http = tornado.httpserver.HTTPServer(tornado.web.Application(routes_, log_function=lambda handler: None))
        http.add_sockets(sockets)
        server.append(http)
        log.info("screen on %s", settings.screen_base_url)

    async def post_stop(app: Application) -> None:
        app.bot_data["screen_hub"].close()
        for http in server:
            http.stop()
            try:
                await asyncio.wait_for(http.close_all_connections(), timeout=5)
            except TimeoutError:
                log.warning("screen connections still open at stop")
        if earlier_stop is not None:
            await earlier_stop(app)

    application.post_init = post_init
    application.post_stop = post_stop
