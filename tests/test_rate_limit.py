"""The sending rate limiter keeps to Telegram's limits as the fake Bot API enforces them."""

from __future__ import annotations

import asyncio

from fake_telegram.core import FakeTelegram
from fake_telegram.request import FakeTelegramRequest
from telegram.ext import ExtBot

from bot.rate_limit import TelegramRateLimiter, Window


def test_a_window_holds_at_most_its_limit_in_any_period() -> None:
    window = Window(3, 1.0)
    for now in (0.0, 0.1, 0.2):
        assert window.wait(now) == 0
        window.take(now)
    assert window.wait(0.3) == 0.7  # the first one leaves the window at 1.0
    assert window.wait(1.0) == 0
    window.take(1.0)
    assert round(window.wait(1.05), 2) == 0.05


async def test_a_burst_to_many_chats_and_a_few_to_one_group_gets_no_429() -> None:
    core = FakeTelegram()
    core.enforce_limits(per_second_overall=30, per_second_per_chat=1, per_minute_per_group=20)
    group = core.add_group("Kopgroep")
    core.set_bot_status(group, "member")
    people = [core.add_user(f"Lid {n}") for n in range(45)]
    for person in people:
        core.chats[person["id"]].opened = True
    bot = ExtBot(core.token, request=FakeTelegramRequest(core), rate_limiter=TelegramRateLimiter(max_retries=0))
    async with bot:
        loop = asyncio.get_running_loop()
        start = loop.time()
        sends = [bot.send_message(p["id"], f"Stembiljet {n}") for n, p in enumerate(people)]
        sends += [bot.send_message(group["id"], f"Groep {n}") for n in range(3)]
        await asyncio.gather(*sends)  # max_retries=0: a single 429 would raise here
        elapsed = loop.time() - start
    sent = core.calls_of("sendMessage")
    assert len(sent) == 48 and all(c.ok for c in sent)
    # 48 messages at 30 a second need more than one second, the group's three at least two.
    assert 2.0 <= elapsed < 6.0
