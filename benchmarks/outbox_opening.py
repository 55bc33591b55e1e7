"""Issue 15: a region's groups open a round in the same minute, at Telegram's limits.

300 groups x 20 members: each moderator sends /stemronde (all within a second). That queues 2
group messages (the announcement, the progress line) and 20 private ballots per group in the
outbox, and the sender (bot/outbox.py) drains it through the application's rate limiter while the
in-process fake Bot API answers 429 beyond Telegram's limits (30/s overall, 1/s per chat,
20/min per group). Meanwhile a member of group 1 keeps pressing scores on their ballot.

Reported: how long each /stemronde took; time from the commands to each group's first message
(median, p99, last); messages a second from first to last against the 30/s limit; 429s; messages
lost (queued but never delivered); the latency of the presses during the opening (from the press
to its answer and to the redraw, median and p99).

Real time (the limits are Telegram's): 300 x 20 takes about 4 minutes of sending. ``--groups`` and
``--members`` make it smaller.

Run: ``python -m benchmarks.outbox_opening [--groups 300] [--members 20] [--db sqlite|postgresql]``
"""

from __future__ import annotations

import argparse
import asyncio
import time

from fake_telegram.core import FakeTelegram
from fake_telegram.faults import LIMITED_METHODS
from telegram import Update

from benchmarks.world import database, percentile, populate, start_app
from bot.outbox import sender_of
from storage import outbox

LIMIT = 30.0


def vote_data(message: dict) -> list[str]:
    return [
        b["callback_data"]
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row
        if b.get("callback_data", "").startswith("vote:")
    ]


async def presses(harness, core: FakeTelegram, voter: dict, stop: asyncio.Event) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    """Press a score on the voter's ballot every half second: (seconds to the answer, to the redraw)."""
    found: list[tuple[float, float]] = []
    processor = harness.app.update_processor
    score = 1
    while not stop.is_set():
        await asyncio.sleep(0.5)
        ballot = next((m for m in reversed(core.sent_messages(voter["id"])) if vote_data(m)), None)
        if ballot is None:
            continue
        score = score % 3 + 1
        data = next(d for d in vote_data(ballot) if d.endswith(f":{score}"))
        calls = len(core.calls)
        core.press_button(voter, ballot, data)
        (update,) = core.take_updates(offset=harness.offset, allowed_updates=list(Update.ALL_TYPES))
        harness.offset = update["update_id"] + 1
        start = core.clock()
        press = Update.de_json(update, harness.app.bot)
        await processor.process_update(press, harness.app.process_update(press))
        answer = next((c.time for c in core.calls[calls:] if c.method == "answerCallbackQuery"), None)
        redraw = next((c.time for c in core.calls[calls:] if c.method == "editMessageText"), None)
        if answer is not None and redraw is not None:
            found.append((answer - start, redraw - start))
    return found


async def measure(groups: int, members: int, kind: str) -> dict[str, float]:
    core = FakeTelegram()
    with database(kind) as db:
        made = populate(core, db, groups=groups, members=members, themes=6)
        harness = await start_app(core, db, rate_limiter=True)
        sender = sender_of(harness.app)
        try:
            core.enforce_limits(per_second_overall=30, per_second_per_chat=1, per_minute_per_group=20)
            sender.start()
            before = len(core.calls)
            for group in made:
                core.send_message(group.people[0], group.chat, "/stemronde")
            updates: list[Update] = []
            while batch := core.take_updates(offset=harness.offset, allowed_updates=list(Update.ALL_TYPES)):
                harness.offset = batch[-1]["update_id"] + 1
                updates += [Update.de_json(data, harness.app.bot) for data in batch]
            processor = harness.app.update_processor
            commands_start = core.clock()
            handled: list[float] = []

            async def command(update: Update) -> None:
                begun = time.perf_counter()
                await processor.process_update(update, harness.app.process_update(update))
                handled.append(time.perf_counter() - begun)

            stop = asyncio.Event()
            pressing = asyncio.create_task(presses(harness, core, made[0].people[1], stop))
            await asyncio.gather(*(command(u) for u in updates))
            while await db.run(outbox.pending):
                await asyncio.sleep(0.5)
            await asyncio.sleep(1.0)  # the last sends' bookkeeping
            stop.set()
            latencies = await pressing
        finally:
            await sender.stop()
            await harness.stop()
    sends = [c for c in core.calls[before:] if c.method in LIMITED_METHODS]
    delivered = [c for c in sends if c.ok]
    refused = [c for c in sends if not c.ok and getattr(c.error, "error_code", None) == 429]
    chats = {group.chat["id"] for group in made}
    first: dict[int, float] = {}
    for call in delivered:
        chat = int(call.params["chat_id"])
        if chat in chats and chat not in first:
            first[chat] = call.time - commands_start
    ballots = sum(1 for c in delivered if int(c.params["chat_id"]) > 0)
    group_messages = len(delivered) - ballots
    span = delivered[-1].time - delivered[0].time if len(delivered) > 1 else float("nan")
    waits = sorted(first.values())
    answers = [a for a, _ in latencies]
    redraws = [r for _, r in latencies]
    return {
        "groups": groups,
        "members": members,
        "command_p99": percentile(handled, 0.99),
        "command_max": max(handled),
        "first_median": percentile(waits, 0.5) if waits else float("nan"),
        "first_p99": percentile(waits, 0.99) if waits else float("nan"),
        "first_last": waits[-1] if len(waits) == groups else float("inf"),
        "groups_reached": len(waits),
        "delivered": len(delivered),
        "ballots": ballots,
        "group_messages": group_messages,
        "expected": groups * (members + 2),
        "429": len(refused),
        "rate": (len(delivered) - 1) / span if span > 0 else float("nan"),
        "span": span,
        "presses": len(latencies),
        "answer_median": percentile(answers, 0.5) if answers else float("nan"),
        "answer_p99": percentile(answers, 0.99) if answers else float("nan"),
        "redraw_p99": percentile(redraws, 0.99) if redraws else float("nan"),
        "errors": len(harness.errors),
    }


def report(f: dict[str, float], kind: str) -> str:
    lost = f["expected"] - f["delivered"]
    return "\n".join(
        [
            f"  {f['groups']:.0f} groups x {f['members']:.0f} members, {kind}: /stemronde took at most {f['command_max'] * 1000:.0f} ms "
            f"(p99 {f['command_p99'] * 1000:.0f} ms): everything queued, nothing sent inside the command",
            f"  each group's first message after the commands: median {f['first_median']:.1f} s, p99 {f['first_p99']:.1f} s, "
            f"last {f['first_last']:.1f} s ({f['groups_reached']:.0f} of {f['groups']:.0f} groups)",
            f"  sent {f['delivered']:.0f} of {f['expected']:.0f} ({f['group_messages']:.0f} in groups, {f['ballots']:.0f} ballots) in "
            f"{f['span']:.1f} s = {f['rate']:.1f}/s, {f['rate'] / LIMIT:.0%} of {LIMIT:.0f}/s | 429s: {f['429']:.0f} | lost: {lost:.0f} "
            f"| handler errors: {f['errors']:.0f}",
            f"  {f['presses']:.0f} presses of a group-1 member meanwhile: answered after median {f['answer_median'] * 1000:.0f} ms, "
            f"p99 {f['answer_p99'] * 1000:.0f} ms; redrawn p99 {f['redraw_p99'] * 1000:.0f} ms",
        ]
    )


async def main(groups: int, members: int, kind: str) -> None:
    print("8. the outbox: /stemronde in every group in the same minute (fake Bot API enforcing Telegram's limits)")
    print(report(await measure(groups, members, kind), kind), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.groups, arguments.members, arguments.db))
