"""3. Sending at Telegram's limits: a round opened in many groups at once.

Each group has 15 members; its moderator sends /stemronde. That is 2 group messages (the
announcement and the progress line) and 15 private ballots per group. The fake Bot API answers
429 (with retry_after) beyond Telegram's limits: 30 messages a second overall, 1 a second per
chat (Telegram allows short bursts; the fake does not, so it is the stricter judge), 20 a minute
per group. The application sends through its own rate limiter (bot/app.py). Reported: messages
a second from the first to the last one delivered, against the 30/s limit; 429s; messages lost.

Since the outbox (issue 15, benchmarks/outbox_opening.py) the commands only queue; the outbox's
sender sends, and the figures are taken until the outbox is empty.

The /stemronde updates go through the application's own update processor
(bot/update_order.py: different chats at once, one chat in order), as in polling mode; with
``--sequential`` one after the other, as PTB's default processing would.

``--ptb-limiter`` sends through PTB's ``AIORateLimiter`` instead, for comparison.

Run: ``python -m benchmarks.sending [--groups 200] [--sequential] [--ptb-limiter]`` (200 groups: ~2 min).
"""

from __future__ import annotations

import argparse
import asyncio
import time

from fake_telegram.core import FakeTelegram
from fake_telegram.faults import LIMITED_METHODS
from telegram import Update

from benchmarks.world import database, populate, start_app
from bot.outbox import sender_of
from storage import outbox

MEMBERS = 15
LIMIT = 30.0


async def measure(
    groups: int, *, sequential: bool, ptb_limiter: bool = False, kind: str = "sqlite"
) -> dict[str, float]:
    if ptb_limiter:  # for comparison: what the application used before bot/rate_limit.py
        from telegram.ext import AIORateLimiter

        import bot.app

        bot.app.TelegramRateLimiter = AIORateLimiter  # type: ignore[misc,assignment]
    core = FakeTelegram()
    with database(kind) as db:
        made = populate(core, db, groups=groups, members=MEMBERS, themes=6)
        harness = await start_app(core, db, rate_limiter=True)
        sender = sender_of(harness.app)
        sender.start()
        try:
            core.enforce_limits(per_second_overall=30, per_second_per_chat=1, per_minute_per_group=20)
            before = len(core.calls)
            for group in made:
                core.send_message(group.people[0], group.chat, "/stemronde")
            updates: list[Update] = []
            while batch := core.take_updates(offset=harness.offset, allowed_updates=list(Update.ALL_TYPES)):
                harness.offset = batch[-1]["update_id"] + 1
                updates += [Update.de_json(data, harness.app.bot) for data in batch]
            assert len(updates) == groups
            start = time.perf_counter()
            if sequential:
                for update in updates:
                    await harness.app.process_update(update)
            else:
                processor = harness.app.update_processor
                await asyncio.gather(*(processor.process_update(u, harness.app.process_update(u)) for u in updates))
            while await db.run(outbox.pending):
                await asyncio.sleep(0.2)
            elapsed = time.perf_counter() - start
        finally:
            await sender.stop()
            await harness.stop()
    sends = [c for c in core.calls[before:] if c.method in LIMITED_METHODS]
    delivered = [c for c in sends if c.ok]
    refused = [c for c in sends if not c.ok and getattr(c.error, "error_code", None) == 429]
    expected = groups * (MEMBERS + 2)
    span = delivered[-1].time - delivered[0].time if len(delivered) > 1 else elapsed
    return {
        "delivered": len(delivered),
        "expected": expected,
        "lost": expected - len(delivered),
        "429": len(refused),
        "rate": (len(delivered) - 1) / span if span > 0 else float("nan"),
        "elapsed": elapsed,
        "errors": len(harness.errors),
    }


def report(groups: int, sequential: bool, ptb_limiter: bool, f: dict[str, float]) -> str:
    mode = "one update after the other" if sequential else "through the chat-ordered update processor"
    mode += ", PTB's AIORateLimiter" if ptb_limiter else ""
    return (
        f"  {groups} groups x {MEMBERS} members ({mode}): {f['delivered']:.0f} of {f['expected']:.0f} messages in "
        f"{f['elapsed']:.1f} s = {f['rate']:.1f}/s, {f['rate'] / LIMIT:.0%} of the {LIMIT:.0f}/s limit | "
        f"429s: {f['429']:.0f} | lost: {f['lost']:.0f} | handler errors: {f['errors']:.0f}"
    )


async def main(groups: int, sequential: bool, ptb_limiter: bool) -> None:
    print("3. sending at Telegram's limits (/stemronde in every group; fake Bot API enforcing the limits)")
    figures = await measure(groups, sequential=sequential, ptb_limiter=ptb_limiter)
    print(report(groups, sequential, ptb_limiter, figures), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--sequential", action="store_true")
    parser.add_argument("--ptb-limiter", action="store_true", help="PTB's AIORateLimiter instead of ours")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.groups, arguments.sequential, arguments.ptb_limiter))
