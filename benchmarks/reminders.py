"""6. Reminders: many due in the same minute, and starting with many pending.

a. Delay from due time to sent: ``--due`` reminders (15 members a group) all due at one moment,
   sent by the reminder tick (conversations/dream_reminders.py) through the rate limiter to the
   fake Bot API enforcing Telegram's limits. The rate found says how long 10,000 take.
b. The same path with no sending limit: what the bot itself manages per second.
c. Start-up: the real bot process, from start to ready (its first getUpdates), with 10,000
   pending reminders and with none (SQLite file).

Run: ``python -m benchmarks.reminders [--due 1500] [--pending 10000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from fake_telegram.core import FakeTelegram

from benchmarks.world import Group, add_reminders, bot_process, database, median, percentile, populate, start_app
from bot.rate_limit import OVERALL_PER_SECOND, SLACK
from conversations.dream_reminders import run_reminders
from storage.db import Database
from storage.migrate import upgrade
from storage.models import utcnow

MEMBERS = 15
TARGET = 10_000
LIMITER_RATE = OVERALL_PER_SECOND / SLACK  # bot/rate_limit.py: 30 in any 1.03 s


def _groups(core: FakeTelegram, db: Database, reminders: int) -> list[Group]:
    return populate(core, db, groups=max(1, reminders // MEMBERS), members=MEMBERS, themes=4)


async def sending(due: int, *, limited: bool) -> dict[str, float]:
    """Reminders due in the last minute, sent by ticks until none is left."""
    core = FakeTelegram()
    with database("sqlite") as db:
        groups = _groups(core, db, due)
        count = add_reminders(db, groups, [utcnow()])  # all due now: the worst minute
        harness = await start_app(core, db, rate_limiter=limited)
        if limited:
            core.enforce_limits(per_second_overall=30, per_second_per_chat=1, per_minute_per_group=20)
        before = len(core.calls)
        start = time.perf_counter()
        start_clock = core.clock()
        sent: dict[int, str] = {}
        try:
            while len(sent) < count:  # as the JobQueue tick would, back to back
                outcomes = await run_reminders(harness.app)
                sent.update({key: outcome for key, (outcome, _) in outcomes.items()})
                if not outcomes:
                    break
        finally:
            await harness.stop()
        elapsed = time.perf_counter() - start
    deliveries = [c for c in core.calls[before:] if c.method == "sendMessage" and c.ok]
    refused = [c for c in core.calls[before:] if not c.ok and getattr(c.error, "error_code", None) == 429]
    delays = [c.time - start_clock for c in deliveries]
    return {
        "count": count,
        "sent": sum(1 for outcome in sent.values() if outcome == "sent"),
        "elapsed": elapsed,
        "rate": len(deliveries) / elapsed,
        "median_delay": median(delays) if delays else float("nan"),
        "max_delay": max(delays) if delays else float("nan"),
        "p99_delay": percentile(delays, 0.99) if delays else float("nan"),
        "429": len(refused),
    }


def start_up(pending: int) -> float:
    """Seconds from starting the bot process to ready, with ``pending`` reminders due tomorrow."""
    core = FakeTelegram()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'kopgroep.db'}"
        upgrade(url)
        db = Database(url)
        if pending:
            add_reminders(db, _groups(core, db, pending), [utcnow() + timedelta(days=1)])
        db.dispose()
        with bot_process(core, url) as (_, ready):
            return ready


async def main(due: int, pending: int) -> None:
    print("6. reminders")
    f = await sending(due, limited=True)
    print(
        f"  a. {f['count']:.0f} due at once, at Telegram's limits: {f['sent']:.0f} sent in {f['elapsed']:.1f} s = "
        f"{f['rate']:.1f}/s ({f['rate'] / 30:.0%} of 30/s; the first 30 go at once, so a short run shows more), "
        f"429s {f['429']:.0f} | delay from due to sent: median {f['median_delay']:.1f} s, p99 "
        f"{f['p99_delay']:.1f} s, max {f['max_delay']:.1f} s | 10,000 at the limiter's {LIMITER_RATE:.1f}/s: "
        f"{TARGET / LIMITER_RATE / 60:.1f} min",
        flush=True,
    )
    f = await sending(due, limited=False)
    print(
        f"  b. the same without a sending limit: {f['count'] / f['elapsed']:.0f} reminders/s ({1000 * f['elapsed'] / f['count']:.1f} ms each); "
        f"{TARGET:,} would take {TARGET * f['elapsed'] / f['count']:.0f} s",
        flush=True,
    )
    empty, full = start_up(0), start_up(pending)
    print(f"  c. bot process start to ready: {empty:.2f} s with no reminders, {full:.2f} s with {pending:,} pending")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--due", type=int, default=1500)
    parser.add_argument("--pending", type=int, default=TARGET)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.due, arguments.pending))
