"""Polling mode's update processor: chats in parallel, each chat in arrival order."""

from __future__ import annotations

import asyncio
import random

from telegram import Update

from bot.update_order import ChatOrderedUpdateProcessor, lane_of, ordering_lane


def message_update(update_id: int, chat_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group", "title": "g"},
                "from": {"id": abs(chat_id), "is_bot": False, "first_name": "x"},
                "text": f"m{update_id}",
            },
        },
        None,
    )


def test_lane_is_the_chat_else_the_user() -> None:
    assert lane_of(message_update(1, -5)) == -5
    press = Update.de_json(
        {
            "update_id": 2,
            "callback_query": {
                "id": "q",
                "from": {"id": 7, "is_bot": False, "first_name": "x"},
                "chat_instance": "c",
                "data": "d",
                "inline_message_id": "i",
            },
        },
        None,
    )
    assert lane_of(press) == 7
    assert lane_of(object()) is None


async def test_each_chat_in_arrival_order_and_chats_side_by_side() -> None:
    processor = ChatOrderedUpdateProcessor(max_concurrent_updates=8)
    await processor.initialize()
    rng = random.Random(7)
    handled: dict[int, list[int]] = {}
    running = 0
    most_at_once = 0
    finished: list[int] = []

    async def handle(update: Update) -> None:
        nonlocal running, most_at_once
        running += 1
        most_at_once = max(most_at_once, running)
        # A slow update must not let the next one of its chat overtake it.
        await asyncio.sleep(rng.choice((0, 0.001, 0.004)))
        handled.setdefault(update.effective_chat.id, []).append(update.update_id)
        finished.append(update.effective_chat.id)
        running -= 1

    chats = [-1, -2, -3, 11, 12]
    updates = [message_update(n, chats[rng.randrange(len(chats))]) for n in range(200)]
    # PTB starts one task per update in arrival order; so does this.
    tasks = [asyncio.create_task(processor.process_update(u, handle(u))) for u in updates]
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=10)

    for chat in chats:
        assert handled[chat] == [u.update_id for u in updates if u.effective_chat.id == chat]
    assert sum(map(len, handled.values())) == 200
    assert most_at_once > 1  # chats ran side by side, not one update after the other
    assert finished != [u.effective_chat.id for u in updates]  # so they finished out of arrival order
    assert most_at_once <= 8
    await processor.shutdown()


async def test_a_failing_update_does_not_stop_its_chat() -> None:
    processor = ChatOrderedUpdateProcessor()
    seen: list[int] = []

    async def handle(update: Update) -> None:
        seen.append(update.update_id)
        if update.update_id == 1:
            raise RuntimeError("handler broke")

    first = asyncio.create_task(processor.process_update(message_update(1, -1), handle(message_update(1, -1))))
    second = asyncio.create_task(processor.process_update(message_update(2, -1), handle(message_update(2, -1))))
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert isinstance(results[0], RuntimeError) and results[1] is None
    assert seen == [1, 2]


async def test_a_press_does_not_wait_behind_its_chats_slow_commands() -> None:
    """Issue 15: a group's presses waited behind its commands (and their replies under the group's
    20/min budget) and were refused as too old. A press has a chain of its own."""
    processor = ChatOrderedUpdateProcessor(max_concurrent_updates=8)
    await processor.initialize()
    group = {"id": -5, "type": "group", "title": "g"}
    press = Update.de_json(
        {
            "update_id": 9,
            "callback_query": {
                "id": "q", "from": {"id": 7, "is_bot": False, "first_name": "x"}, "chat_instance": "c", "data": "d",
                "message": {"message_id": 1, "date": 0, "chat": group, "text": "t"},
            },
        },
        None,
    )
    assert ordering_lane(press) != ordering_lane(message_update(1, -5))
    release = asyncio.Event()
    order: list[str] = []

    async def slow_command() -> None:
        await release.wait()
        order.append("command")

    async def pressed() -> None:
        order.append("press")
        release.set()

    commands = [asyncio.create_task(processor.process_update(message_update(n, -5), slow_command())) for n in range(3)]
    await asyncio.sleep(0)
    await asyncio.wait_for(processor.process_update(press, pressed()), timeout=2)  # would hang behind the commands
    await asyncio.wait_for(asyncio.gather(*commands), timeout=2)
    assert order[0] == "press"
    await processor.shutdown()
