"""Workers that process the webhook inbox (storage/inbox.py): one lane at a time per lane, lanes in parallel.

A lane is a chat (else a user): its updates are processed one after the other in update_id order,
by whichever instance holds it. On PostgreSQL, holding a lane is a session advisory lock on a
connection of its own: another instance's ``pg_try_advisory_lock`` fails and it moves on, and an
instance that dies (even kill -9) loses its connection and with it the lock, so a survivor takes
the lane over at its next look. On SQLite there is one instance (bot/instance_lock.py), and the
in-process set of busy lanes is the whole lock.

Processing is at least once: an update is marked done after ``process_update`` returns, so one
that was being processed when its instance died is processed again by the next holder.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
from typing import Any

from sqlalchemy import Connection, create_engine, text
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application

from bot.outage import outage_of, report_job_error
from storage import inbox
from storage.db import Database
from storage.models import utcnow

log = logging.getLogger("kopgroep.inbox")

# Our advisory locks live under this first key, so they cannot meet another program's on the database.
LOCK_SPACE = 0x4B47  # "KG"
# Where a chat or user id sits in each kind of update Telegram sends.
_CHAT_PATHS = (
    ("message", "chat"),
    ("edited_message", "chat"),
    ("channel_post", "chat"),
    ("edited_channel_post", "chat"),
    ("business_message", "chat"),
    ("edited_business_message", "chat"),
    ("callback_query", "message", "chat"),
    ("my_chat_member", "chat"),
    ("chat_member", "chat"),
    ("chat_join_request", "chat"),
    ("message_reaction", "chat"),
    ("message_reaction_count", "chat"),
    ("chat_boost", "chat"),
    ("removed_chat_boost", "chat"),
)
_USER_PATHS = (
    ("callback_query", "from"),
    ("inline_query", "from"),
    ("chosen_inline_result", "from"),
    ("shipping_query", "from"),
    ("pre_checkout_query", "from"),
    ("poll_answer", "user"),
)


PRESS_LANES = 1 << 60  # beyond any Telegram id: a chat's presses are a lane of their own


def lane_of(payload: dict[str, Any]) -> int:
    """The chat an update belongs to, else its user, else 0 (updates about neither, such as polls).

    A button press gets a lane of its own per chat (the chat's id moved past every Telegram id):
    it answers a message that is there already, so it never waits behind the chat's commands."""
    lane = 0
    for path in (*_CHAT_PATHS, *_USER_PATHS):
        node: Any = payload
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get("id"), int):
            lane = int(node["id"])
            break
    if "callback_query" in payload:
        return lane + PRESS_LANES if lane >= 0 else lane - PRESS_LANES
    return lane


def lane_key(secret: bytes, lane: int) -> int:
    """What the inbox stores as the lane: a keyed hash of the chat (or user) id, 63 bits. The same
    chat gets the same lane on every instance (they share the secret), and a database reader
    without the secret cannot tell whose private chat a lane is."""
    digest = hmac.new(secret, f"lane:{lane}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def lock_key(lane: int) -> int:
    """The lane folded into PostgreSQL's 32-bit second lock key (two lanes sharing one only wait
    for each other; they are never processed wrongly)."""
    folded = (lane ^ (lane >> 32)) & 0xFFFFFFFF
    return folded - (1 << 32) if folded >= 1 << 31 else folded


class LaneLocks:
    """Who holds a lane across instances: advisory locks on PostgreSQL, nothing more on SQLite."""

    def __init__(self, database: Database, size: int) -> None:
        self._engine = None
        if not database.is_sqlite:
            self._engine = create_engine(database.url, pool_size=size, max_overflow=0, pool_pre_ping=True)
        self._held: dict[int, Connection] = {}

    async def acquire(self, lane: int) -> bool:
        if self._engine is None:
            return True
        connection = await asyncio.to_thread(self._try_lock, lane)
        if connection is None:
            return False
        self._held[lane] = connection
        return True

    async def release(self, lane: int) -> None:
        connection = self._held.pop(lane, None)
        if connection is not None:
            await asyncio.to_thread(self._unlock, lane, connection)

    def _try_lock(self, lane: int) -> Connection | None:
        assert self._engine is not None
        connection = self._engine.connect()
        try:
            locked = connection.execute(
                text("SELECT pg_try_advisory_lock(:space, :key)"), {"space": LOCK_SPACE, "key": lock_key(lane)}
            ).scalar()
            connection.commit()
        except Exception:
            connection.invalidate()
            connection.close()
            raise
        if locked:
            return connection
        connection.close()
        return None

    def _unlock(self, lane: int, connection: Connection) -> None:
        try:
            connection.execute(
                text("SELECT pg_advisory_unlock(:space, :key)"), {"space": LOCK_SPACE, "key": lock_key(lane)}
            )
            connection.commit()
        except Exception:
            # A connection we cannot unlock on must not go back to the pool with the lock.
            log.warning("could not release lane lock; dropping its connection", exc_info=True)
            connection.invalidate()
        finally:
            connection.close()

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


class _RetryBot:
    """The bot, for a button press processed again: the first try may have answered it already,
    and Telegram refuses a second answer. That refusal is not a reason to stop the handler (it
    would drop whatever the first try did not get to, such as recording the vote)."""

    def __init__(self, bot: Any) -> None:
        self._bot = bot

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bot, name)

    async def answer_callback_query(self, *args: Any, **kwargs: Any) -> bool:
        try:
            return await self._bot.answer_callback_query(*args, **kwargs)
        except BadRequest as error:
            if "query is too old" not in str(error).lower() and "query id is invalid" not in str(error).lower():
                raise
            log.info("button press answered before (processed again after a failure)")
            return False


class Inbox:
    """Store pushed updates and process them: started by the webhook runner (bot/webhook.py)."""

    def __init__(
        self,
        application: Application,
        database: Database,
        instance_id: str,
        *,
        lanes: int = 4,
        poll: float = 1.0,
        max_attempts: int = 3,
        lane_secret: bytes | None = None,
    ) -> None:
        self.application = application
        # Lanes are keyed with the ballot secret unless told otherwise (bot/app.py puts it in services).
        self.lane_secret = lane_secret if lane_secret is not None else application.bot_data["services"].ballot_key
        self.db = database
        self.instance_id = instance_id
        self.lanes = lanes
        self.poll = poll
        self.max_attempts = max_attempts
        self.locks = LaneLocks(database, lanes)
        self._busy: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._stopping = False
        self._last_prune = 0.0
        self.task: asyncio.Task[None] | None = None  # set by the webhook runner
        self.beat: float | None = None  # the event loop's time of the last look that completed
        self.hung_after = max(30.0, 10 * poll)  # seconds without a completed look

    def problem(self) -> str | None:
        """For /healthz: None while the worker looks at its table, else what is wrong."""
        if self._stopping or (self.task is not None and self.task.done()):
            return "stopped"
        if self.beat is None:
            return "not started"
        silent = asyncio.get_running_loop().time() - self.beat
        if silent > self.hung_after:
            return f"hung (last look {silent:.0f} s ago)"
        return None

    async def receive(self, payload: dict[str, Any]) -> bool:
        """Keep one pushed update (before it is acknowledged); False for a repeat of a stored one."""
        update_id = int(payload["update_id"])
        lane = lane_key(self.lane_secret, lane_of(payload))
        stored = await self.db.run(inbox.store, update_id, lane, json.dumps(payload), utcnow())
        self._wake.set()
        return stored

    async def run(self) -> None:
        """Until :meth:`stop`: take waiting lanes, on a push or every ``poll`` seconds."""
        loop = asyncio.get_running_loop()
        while not self._stopping:
            self._wake.clear()
            try:
                if loop.time() - self._last_prune > 600:
                    self._last_prune = loop.time()
                    pruned = await self.db.run(inbox.prune, utcnow())
                    if pruned:
                        log.info("pruned %d processed updates", pruned)
                for lane in await self.db.run(inbox.pending_lanes, self.lanes * 4):
                    if len(self._busy) >= self.lanes or self._stopping:
                        break
                    if lane not in self._busy:
                        self._busy.add(lane)
                        task = asyncio.create_task(self._drain(lane), name=f"inbox-lane-{lane}")
                        self._tasks.add(task)
                        task.add_done_callback(self._tasks.discard)
                outage_of(self.application).succeeded()
                self.beat = loop.time()
            except Exception as error:
                if not report_job_error(self.application, "inbox", error):
                    log.exception("inbox look failed; trying again")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll)

    async def _drain(self, lane: int) -> None:
        """Process the lane's waiting updates in order while holding it."""
        more = False
        try:
            if not await self.locks.acquire(lane):
                return  # another instance holds it
            try:
                more = await self._process_lane(lane)
            finally:
                await self.locks.release(lane)
        except Exception as error:
            if not report_job_error(self.application, "inbox", error):
                log.exception("lane %s failed; it is taken again at the next look", lane)
        finally:
            self._busy.discard(lane)
            if more:
                self._wake.set()

    async def _process_lane(self, lane: int) -> bool:
        """True when the lane was left with work (stopping), so the next look comes at once."""
        while True:
            if self._stopping:
                return False
            item = await self.db.run(inbox.take_next, lane, self.instance_id, utcnow())
            if item is None:
                return True  # a push may have come while we held the lane: look again
            if item.attempts > self.max_attempts:
                log.error("update %s failed %d times; given up", item.update_id, item.attempts - 1)
                await self.db.run(inbox.finish, item.update_id, utcnow(), outcome="gave_up")
                continue
            update = Update.de_json(json.loads(item.payload), self.application.bot)
            if item.attempts > 1 and update.callback_query is not None:
                update.callback_query.set_bot(_RetryBot(self.application.bot))  # type: ignore[arg-type]
            # Handler errors go to the error handler inside process_update; what escapes is ours.
            await self.application.process_update(update)
            await self.db.run(inbox.finish, item.update_id, utcnow())

    async def stop(self, timeout: float = 15.0) -> None:
        """Finish the updates being processed; the waiting ones stay for any instance."""
        self._stopping = True
        self._wake.set()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
        self.locks.dispose()
