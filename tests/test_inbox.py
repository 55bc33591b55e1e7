"""The inbox workers (bot/inbox.py): lanes from updates; the real application fed from the inbox
(a retried push answered once); on PostgreSQL two instances sharing the work with each lane
one at a time and in order, and a dead instance's lane taken over."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

from sqlalchemy import text
from telegram import Update

from bot.inbox import PRESS_LANES, Inbox, LaneLocks, lane_key, lane_of, lock_key
from storage import inbox
from storage.db import Database
from storage.models import utcnow
from tests.harness import Harness


def test_the_lane_is_the_chat_else_the_user_and_presses_have_their_own() -> None:
    group = {"id": -1001234567890, "type": "supergroup"}
    user = {"id": 42, "is_bot": False, "first_name": "Anne"}
    assert lane_of({"update_id": 1, "message": {"chat": group, "from": user}}) == group["id"]
    press = lane_of({"update_id": 2, "callback_query": {"from": user, "message": {"chat": group}}})
    assert press == group["id"] - PRESS_LANES  # not behind the group's commands
    assert lane_of({"update_id": 3, "callback_query": {"from": user}}) == 42 + PRESS_LANES  # an inline message: no chat
    assert press != lane_of({"update_id": 7, "callback_query": {"from": user, "message": {"chat": {"id": -1001234567891}}}})
    assert abs(press) < 2**63  # fits the BigInteger column
    assert lane_of({"update_id": 4, "my_chat_member": {"chat": group, "from": user}}) == group["id"]
    assert lane_of({"update_id": 5, "poll_answer": {"user": user}}) == 42
    assert lane_of({"update_id": 6, "poll": {"id": "p"}}) == 0


def test_lock_keys_fit_postgresql_and_tell_lanes_apart() -> None:
    lanes = [-1001234567890, -1001234567891, 42, 43, 0, -5, 2**40 + 7]
    keys = [lock_key(lane) for lane in lanes]
    assert all(-(2**31) <= key < 2**31 for key in keys)
    assert len(set(keys)) == len(lanes)


async def _until_empty(db: Database, timeout: float = 10.0) -> None:
    async def empty() -> None:
        while (await db.run(inbox.counts))[0]:
            await asyncio.sleep(0.02)

    await asyncio.wait_for(empty(), timeout)


async def test_pushed_updates_are_answered_once_even_when_pushed_twice(harness: Harness) -> None:
    core = harness.core
    anne, bart = core.add_user("Anne"), core.add_user("Bart")
    core.send_message(anne, anne["id"], "/help")
    core.send_message(bart, bart["id"], "/help")
    core.send_message(anne, anne["id"], "/taal en")
    pushed = core.take_updates(offset=None, allowed_updates=list(Update.ALL_TYPES))
    assert len(pushed) == 3
    box = Inbox(harness.app, harness.db, "test-instance", poll=0.05)
    assert [await box.receive(u) for u in pushed] == [True] * 3
    assert [await box.receive(u) for u in pushed] == [False] * 3  # Telegram's retries
    worker = asyncio.create_task(box.run())
    try:
        await _until_empty(harness.db)
    finally:
        await box.stop()
        worker.cancel()
    assert await harness.db.run(inbox.counts) == (0, 3)
    assert len(core.sent_messages(bart["id"])) == 1
    # Anne's two updates in order: the help in Dutch, then the language switch (answered in English).
    first, second = core.sent_messages(anne["id"])
    assert "Kopgroep" in first["text"] and "English" in second["text"]


async def test_an_update_that_keeps_failing_is_given_up_and_the_lane_goes_on(harness: Harness) -> None:
    core = harness.core
    anne = core.add_user("Anne")
    core.send_message(anne, anne["id"], "/help")
    core.send_message(anne, anne["id"], "/help")
    poison, fine = core.take_updates(offset=None, allowed_updates=list(Update.ALL_TYPES))
    box = Inbox(harness.app, harness.db, "test-instance", poll=0.05, max_attempts=2)
    await box.receive(poison)
    await box.receive(fine)
    for _ in range(2):  # two instances died on it
        lane = lane_key(harness.app.bot_data["services"].ballot_key, anne["id"])
        await harness.db.run(inbox.take_next, lane, "dead", utcnow())
    worker = asyncio.create_task(box.run())
    try:
        await _until_empty(harness.db)
    finally:
        await box.stop()
        worker.cancel()
    assert len(core.sent_messages(anne["id"])) == 1  # only the second /help


@dataclass
class Recorder:
    """Stands in for the application: records when each update starts and ends."""

    name: str
    log: list[tuple[str, str, int, int]]
    bot: None = None
    running: set[int] = field(default_factory=set)
    most_at_once: int = 0

    async def process_update(self, update: Update) -> None:
        lane = update.effective_chat.id if update.effective_chat else 0
        self.log.append(("start", self.name, lane, update.update_id))
        self.running.add(update.update_id)
        self.most_at_once = max(self.most_at_once, len(self.running))
        await asyncio.sleep(0.01)
        self.running.discard(update.update_id)
        self.log.append(("end", self.name, lane, update.update_id))


def _message(update_id: int, chat_id: int) -> dict:
    chat = {"id": chat_id, "type": "group", "title": "G"}
    return {"update_id": update_id, "message": {"message_id": update_id, "date": 0, "chat": chat, "text": "x"}}


async def test_two_instances_share_the_lanes_one_update_of_a_lane_at_a_time(postgres_url: str) -> None:
    from tests.conftest import _empty_postgres

    _empty_postgres(postgres_url)
    log: list[tuple[str, str, int, int]] = []
    databases = [Database(postgres_url), Database(postgres_url)]
    recorders = [Recorder("a", log), Recorder("b", log)]
    boxes = [Inbox(r, d, r.name, poll=0.05, lanes=3, lane_secret=b"shared") for r, d in zip(recorders, databases, strict=True)]  # type: ignore[arg-type]
    lanes = [-(100 + n) for n in range(8)]
    update_id = 0
    for round_ in range(5):
        for lane in lanes:
            update_id += 1
            # Pushes arrive at either instance, some twice.
            await boxes[update_id % 2].receive(_message(update_id, lane))
            if round_ == 2:
                await boxes[(update_id + 1) % 2].receive(_message(update_id, lane))
    workers = [asyncio.create_task(box.run()) for box in boxes]
    try:
        await _until_empty(databases[0], timeout=30)
    finally:
        for box in boxes:
            await box.stop()
        for worker in workers:
            worker.cancel()
        for database in databases:
            database.dispose()
    starts = [(name, lane, uid) for what, name, lane, uid in log if what == "start"]
    assert sorted(uid for _, _, uid in starts) == list(range(1, 41))  # each once
    assert {name for name, _, _ in starts} == {"a", "b"}  # both took part
    assert max(r.most_at_once for r in recorders) > 1  # lanes in parallel
    for lane in lanes:
        events = [(what, uid) for what, _, in_lane, uid in log if in_lane == lane]
        order = [uid for what, uid in events if what == "start"]
        assert order == sorted(order)  # in order
        # one at a time: every start is followed by its own end before the next start
        assert all(events[i][0] == "start" and events[i + 1] == ("end", events[i][1]) for i in range(0, len(events), 2))


async def test_a_dead_instance_gives_up_its_lanes(postgres_url: str) -> None:
    first, second = Database(postgres_url), Database(postgres_url)
    locks_a, locks_b = LaneLocks(first, 2), LaneLocks(second, 2)
    try:
        assert await locks_a.acquire(-100)
        assert not await locks_b.acquire(-100)
        assert await locks_b.acquire(-200)
        await locks_b.release(-200)
        # The first instance dies: PostgreSQL ends its session, and its locks with it.
        held = locks_a._held[-100]
        pid = held.execute(text("SELECT pg_backend_pid()")).scalar()
        with second.engine.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        for _ in range(50):
            if await locks_b.acquire(-100):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the lane stayed locked after its holder died")
        await locks_b.release(-100)
        await locks_a.release(-100)  # on a dead connection: dropped, no error
    finally:
        locks_a.dispose()
        locks_b.dispose()
        first.dispose()
        second.dispose()


def test_payloads_are_kept_as_telegram_sent_them(db: Database) -> None:
    update = _message(77, -5)
    db.run_sync(inbox.store, 77, lane_of(update), json.dumps(update), utcnow())
    item = db.run_sync(inbox.take_next, -5, "a", utcnow())
    assert item is not None and json.loads(item.payload) == update


async def test_a_press_processed_again_goes_on_when_its_answer_was_given_before(harness: Harness) -> None:
    core = harness.core
    anne = core.add_user("Anne")
    await harness.say(anne, anne["id"], "/taal")
    choose = harness.last_from_bot(anne["id"])
    core.press_button(anne, choose, "lang:p:en")
    (pressed,) = core.take_updates(offset=harness.offset, allowed_updates=list(Update.ALL_TYPES))
    box = Inbox(harness.app, harness.db, "alive", poll=0.05)
    await box.receive(pressed)
    # The first try answered the press and died before the rest: Telegram refuses a second answer.
    await harness.db.run(inbox.take_next, lane_key(harness.app.bot_data["services"].ballot_key, lane_of(pressed)), "dead", utcnow())
    core.callback_queries[pressed["callback_query"]["id"]]["answered"] = True
    worker = asyncio.create_task(box.run())
    try:
        await _until_empty(harness.db)
    finally:
        await box.stop()
        worker.cancel()
    refused = [c.method for c in core.calls if not c.ok]
    assert refused == ["answerCallbackQuery"]
    assert "English" in harness.last_text(anne["id"])  # the choice was made all the same
