"""The sender: drains the outbox (storage/outbox.py), fairly across groups, within Telegram's limits.

What the bot sends on its own initiative is a row first (queued in the transaction that causes
it); this sender takes it from there, so a handler returns at once and a crash or a Telegram
outage delays a message without losing it.

* Fair: each turn takes one message per lane (a trajectory, else a chat), the lanes served least
  recently first, so the 300th group that opens a round does not wait behind 299 groups' ballots.
* Limits: the application's rate limiter (bot/rate_limit.py) paces every request at 30/s overall,
  1/s per chat and 20/min per group; a chat that would have to wait is skipped this turn.
* Failures: a 429 holds that chat only, for its retry_after; a server error or a dropped
  connection is tried again after a pause; a timeout too where a second copy does no harm (a
  ballot: bot/ballot_copies.py retires the older copy), else it counts as not arrived. What is
  given up is recorded in ``undelivered`` (no text) and told to the moderator, privately, once.
* One sender per database: on PostgreSQL the instance holding an advisory lock sends, and another
  takes over within seconds when it dies (the lock goes with its connection); SQLite runs in one
  process anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from bot import messaging
from bot.context import Services
from bot.delivery import reason_of, report_undelivered
from bot.membership import may_receive
from bot.messaging import send_html
from bot.rate_limit import _seconds
from storage import outbox
from storage.db import Database
from storage.models import utcnow
from storage.outbox import OutboxRecord

log = logging.getLogger("kopgroep.outbox")

IN_FLIGHT = 30  # requests on their way at once; the rate limiter keeps them at 30/s
TURN = 60  # messages handed out per look at the table
POLL = 0.5  # seconds between looks when nothing woke the sender (rows queued by another instance)
REFRESH = 2.0  # seconds a look at the table serves, unless this instance queued something meanwhile
MAX_FLOOD_TRIES = 12  # 429s in a row for one message before it is given up
MAX_FLOOD_WAIT = 3600  # a longer retry_after is not waited out
# The sender's advisory lock, one per schema: installations that share a PostgreSQL database in
# schemas of their own (and parallel test workers) each elect their own sender.
LEADER_LOCK = text("SELECT pg_try_advisory_lock(hashtext('kopgroep-outbox:' || current_schema()))")
LEADER_RETRY = 1.0  # seconds between tries to become the sender
LEADER_CHECK = 5.0  # seconds between checks that the lock's connection is still there


@dataclass(frozen=True)
class Drawn:
    """A message as it goes: its text and buttons."""

    text: str
    markup: InlineKeyboardMarkup | None = None


@dataclass(frozen=True)
class Kind:
    """How one kind of message is drawn, and what its sending changes.

    ``draw``: the text from the database when it goes (None: use the row's text; a draw that gives
    None means the message is no longer owed, e.g. the round closed). ``stored``: written in the
    transaction that forgets the row, given the sent messages; what it returns goes to ``then``,
    run after the commit. ``failed``: written with the record of a message given up. ``gone``: run
    when the person left the group, so the message was dropped.
    """

    draw: Callable[[Services, OutboxRecord], Awaitable[Drawn | None]] | None = None
    stored: Callable[[Session, OutboxRecord, list[int]], Any] | None = None
    then: Callable[[Bot, Services, OutboxRecord, Any], Awaitable[None]] | None = None
    failed: Callable[[Session, OutboxRecord], None] | None = None
    # Run after the message was dropped because its person left the group (bot/membership.py).
    gone: Callable[[Bot, Services, OutboxRecord], Awaitable[None]] | None = None
    retry_timeouts: bool = False  # a timed-out send may have arrived: only where a copy does no harm
    report: bool = True  # the moderator hears about it when it cannot be delivered


# A note to the moderator is not reported again; a group reply that waited for the group's budget
# (bot/messaging.py) is one of the bot's answers, not a message a member misses.
KINDS: dict[str, Kind] = {"notice": Kind(report=False), "reply": Kind(report=False)}


def register(name: str, kind: Kind) -> None:
    """A conversation says how its kind of message is drawn (conversations/*.py, at import)."""
    KINDS[name] = kind


def wake(services: Services) -> None:
    """Rows were queued: the sender looks now instead of at its next poll."""
    services.wakeup.set()


class Leadership:
    """Who sends: on PostgreSQL the holder of an advisory lock on a connection of its own."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.connection: Any = None
        self.checked = 0.0

    async def hold(self) -> bool:
        if self.db.is_sqlite:
            return True
        return await asyncio.to_thread(self._hold)

    def _hold(self) -> bool:
        if self.connection is not None:
            if time.monotonic() - self.checked < LEADER_CHECK:
                return True
            try:
                self.connection.execute(text("SELECT 1"))
                self.connection.commit()
                self.checked = time.monotonic()
                return True
            except Exception as error:  # the connection (and with it the lock) is gone
                log.warning("outbox sender lost its lock: %s", type(error).__name__)
                self.release()
        try:
            connection = self.db.engine.connect()
        except Exception as error:
            log.info("outbox sender: database away (%s)", type(error).__name__)
            return False
        got = connection.execute(LEADER_LOCK).scalar()
        connection.commit()
        if not got:
            connection.close()
            return False
        log.info("this instance sends the outbox")
        self.connection, self.checked = connection, time.monotonic()
        return True

    def release(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):
                self.connection.close()
            self.connection = None


class Sender:
    """Drains the outbox; one per application (``application.bot_data["sender"]``)."""

    def __init__(self, application: Application) -> None:
        self.application = application
        self.services: Services = application.bot_data["services"]
        self.leadership = Leadership(self.services.db)
        self.busy: set[int] = set()  # chats with a message on its way
        self.served: dict[int, int] = {}  # lane -> when it was last served (a counter)
        self.counter = 0
        self.to_report: set[int] = set()  # trajectories with something given up, to tell
        self.slots = asyncio.Semaphore(IN_FLIGHT)
        self.tasks: set[asyncio.Task] = set()
        self.task: asyncio.Task | None = None
        self.wakeup = asyncio.Event()
        self.order: list[OutboxRecord] = []  # the last look's heads in the order they go
        self.looked = float("-inf")  # when (monotonic)
        self.news = True  # this instance queued rows since the last look (at first: maybe, by an earlier run)
        self.leftover = False  # the last drain left rows due later
        self.services.wakeup.bind(self.notify)

    @property
    def bot(self) -> Bot:
        return self.application.bot

    # --- the loop -------------------------------------------------------------------------------

    def notify(self) -> None:
        """Rows were queued (by this instance): look at the table again now."""
        self.news = True
        self.wakeup.set()

    def start(self) -> None:
        self.task = asyncio.create_task(self.run(), name="outbox-sender")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await asyncio.to_thread(self.leadership.release)
        if messaging.OVERFLOW.get(id(self.application.bot)) == self.queue_reply:
            del messaging.OVERFLOW[id(self.application.bot)]

    async def queue_reply(self, chat_id: int, text_html: str, thread_id: int | None) -> None:
        await self.services.db.run(_queue_reply, chat_id, text_html, thread_id)
        self.notify()

    async def run(self) -> None:
        while True:
            try:
                if not await self.leadership.hold():
                    await asyncio.sleep(LEADER_RETRY)
                    continue
                handed = await self.turn()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox sender: a turn failed; trying again")
                handed = 0
                await asyncio.sleep(1.0)
            if not handed:
                self.wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wakeup.wait(), POLL)

    async def turn(self) -> int:
        """Hand out up to ``TURN`` messages, one per lane at a time; how many went out.

        One look at the table (each chat's oldest message, in fair order) serves for ``REFRESH``
        seconds or until this instance queues more: with 300 groups' ballots queued, a look per
        turn would cost more than the sending."""
        if self.news or not self.order or time.monotonic() - self.looked > REFRESH:
            self.news = False
            await self.report()
            heads = await self.services.db.run(outbox.heads, utcnow())
            self.order, self.looked = self.fair(heads), time.monotonic()
        handed = 0
        rest: list[OutboxRecord] = []
        limiter = getattr(self.bot, "rate_limiter", None)
        for position, row in enumerate(self.order):
            if handed == TURN:
                rest.extend(self.order[position:])
                break
            if row.chat_id in self.busy or (
                limiter is not None and hasattr(limiter, "chat_wait") and limiter.chat_wait(row.chat_id) > 0
            ):
                continue  # its turn comes at the next look
            await self.slots.acquire()
            self.busy.add(row.chat_id)
            self.counter += 1
            self.served[row.lane] = self.counter
            task = asyncio.create_task(self._send_and_free(row))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
            handed += 1
        self.order = rest
        return handed

    async def _send_and_free(self, row: OutboxRecord) -> None:
        try:
            await self.send(row)
        except Exception:
            log.exception("outbox: message %s (%s) failed; it stays queued", row.id, row.kind)
        finally:
            self.busy.discard(row.chat_id)
            self.slots.release()
            self.wakeup.set()

    def fair(self, heads: Sequence[OutboxRecord]) -> list[OutboxRecord]:
        """The chats' heads in the order they go: round-robin over lanes, the lane served least
        recently first; chats with a message on its way or over their own limit wait."""
        limiter = getattr(self.bot, "rate_limiter", None)
        lanes: dict[int, list[OutboxRecord]] = {}
        for row in heads:
            if row.chat_id in self.busy:
                continue
            if limiter is not None and hasattr(limiter, "chat_wait") and limiter.chat_wait(row.chat_id) > 0:
                continue
            lanes.setdefault(row.lane, []).append(row)
        order = sorted(lanes, key=lambda lane: (self.served.get(lane, -1), lane))
        picked: list[OutboxRecord] = []
        depth = 0
        while len(picked) < len(heads) and any(len(lanes[lane]) > depth for lane in order):
            for lane in order:
                if len(lanes[lane]) > depth:
                    picked.append(lanes[lane][depth])
            depth += 1
        return picked

    # --- one message ----------------------------------------------------------------------------

    async def _may_receive(self, row: OutboxRecord) -> bool:
        """A private message to a member of a trajectory goes only while they are in its group."""
        if row.person_id is None or row.trajectory_id is None or row.chat_id <= 0:
            return True  # the group itself, or a message that is no member's
        return await may_receive(self.bot, self.services, row.trajectory_id, row.chat_id)

    async def send(self, row: OutboxRecord) -> str:
        """Try one message; returns sent | later | given_up | dropped."""
        db = self.services.db
        kind = KINDS.get(row.kind, Kind())
        # The one place that decides whether this person may still receive this message: only a
        # member of the Telegram group now (bot/membership.py; one who left is recorded as such),
        # and a kind's draw answers None when it is no longer owed (the round closed, say).
        if not await self._may_receive(row):
            await db.run(outbox.done, row.id)
            if kind.gone is not None:
                await kind.gone(self.bot, self.services, row)
            return "dropped"
        drawn = await kind.draw(self.services, row) if kind.draw else Drawn(row.text or "", _markup(row.markup))
        if drawn is None or not drawn.text:
            await db.run(outbox.done, row.id)
            return "dropped"
        try:
            sent = await send_html(
                self.bot, row.chat_id, drawn.text, reply_markup=drawn.markup, once=True, thread_id=row.thread_id
            )
        except RetryAfter as error:
            wait = _seconds(error)
            if row.attempts + 1 >= MAX_FLOOD_TRIES or wait > MAX_FLOOD_WAIT:
                return await self.give_up(row, kind, "flood")
            log.info("outbox: chat waits %.0f s (429)", wait)
            await db.run(outbox.try_later, row.id, row.chat_id, utcnow() + timedelta(seconds=wait + 0.1), attempt=True)
            return "later"
        except (Forbidden, BadRequest) as error:
            return await self.give_up(row, kind, reason_of(error))
        except TimedOut as error:
            if not kind.retry_timeouts:
                return await self.give_up(row, kind, reason_of(error))  # it may have arrived: not twice
            return await self.backoff(row, kind, error)
        except NetworkError as error:
            return await self.backoff(row, kind, error)
        ids = [message.message_id for message in sent]
        result = await db.run(_finish, row, kind.stored, ids)
        if kind.then is not None:
            try:
                await kind.then(self.bot, self.services, row, result)
            except Exception as error:  # the message went; what follows is tidying up
                log.warning("outbox: after sending %s: %s", row.kind, type(error).__name__)
        return "sent"

    async def backoff(self, row: OutboxRecord, kind: Kind, error: Exception) -> str:
        delays = messaging.RETRY_DELAYS
        if row.attempts >= len(delays):
            return await self.give_up(row, kind, reason_of(error))
        due = utcnow() + timedelta(seconds=delays[row.attempts])
        await self.services.db.run(outbox.try_later, row.id, row.chat_id, due, attempt=True)
        return "later"

    async def give_up(self, row: OutboxRecord, kind: Kind, reason: str) -> str:
        log.info("outbox: %s for chat %s not delivered: %s", row.kind, row.chat_id, reason)
        await self.services.db.run(_give_up, row, reason, kind)
        if kind.report and row.trajectory_id is not None:
            self.to_report.add(row.trajectory_id)
        return "given_up"

    async def report(self) -> None:
        """Tell the moderators what was given up, once a trajectory has nothing else on its way
        (one note for a whole round's ballots rather than one per member)."""
        for trajectory_id in list(self.to_report):
            if await self.services.db.run(outbox.pending, trajectory_id=trajectory_id, exclude=("notice",)):
                continue
            self.to_report.discard(trajectory_id)
            await report_undelivered(self.bot, self.services, trajectory_id)

    # --- for tests and tools: everything now, one by one ------------------------------------------

    async def drain(self, *, patience: float = 5.0) -> None:
        """Send what is queued, waiting out pauses up to ``patience`` seconds (longer ones stay).
        Nothing queued since the last drain, and nothing left: not even a look at the table."""
        if not (self.news or self.leftover or self.to_report):
            return
        self.news = self.leftover = False
        while True:
            await self.report()
            heads = await self.services.db.run(outbox.heads, utcnow())
            for row in self.fair(heads):
                self.counter += 1
                self.served[row.lane] = self.counter
                await self.send(row)
            if heads:
                continue
            await self.report()
            due = await self.services.db.run(outbox.next_due)
            if due is None:
                return
            wait = (due - utcnow()).total_seconds()
            if wait > patience:
                self.leftover = True
                return
            await asyncio.sleep(max(wait, 0.0))


def _finish(session: Session, row: OutboxRecord, stored: Callable | None, ids: list[int]) -> Any:
    result = stored(session, row, ids) if stored is not None else None
    outbox.done(session, row.id)
    return result


def _give_up(session: Session, row: OutboxRecord, reason: str, kind: Kind) -> None:
    outbox.give_up(session, row, reason, record=kind.report)
    if kind.failed is not None:
        kind.failed(session, row)


def _queue_reply(session: Session, chat_id: int, text_html: str, thread_id: int | None) -> None:
    outbox.add(session, chat_id, "reply", text=text_html, thread_id=thread_id)


def _markup(data: dict | None) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup.de_json(data, None) if data else None


def sender_of(application: Application) -> Sender:
    sender = application.bot_data.get("sender")
    if sender is None:
        sender = application.bot_data["sender"] = Sender(application)
        # Replies a handler cannot send within its group's budget come here (bot/messaging.py).
        messaging.OVERFLOW[id(application.bot)] = sender.queue_reply
    return sender


def schedule_sender(application: Application) -> None:
    """At start (post_init): the sender's loop begins once the application runs (its job queue
    starts), and first waits to become the sender. The in-process test harness never starts the
    application and drains the outbox itself."""
    sender_of(application)
    assert application.job_queue is not None
    application.job_queue.run_once(_begin, when=0, name="outbox-sender")


async def _begin(context: Any) -> None:
    sender_of(context.application).start()


async def stop_sender(application: Application) -> None:
    sender = application.bot_data.get("sender")
    if sender is not None:
        await sender.stop()
