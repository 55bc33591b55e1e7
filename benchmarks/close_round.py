"""4. Closing a round of 20 members x 30 themes: the whole /sluitronde update, and its parts.

Every member has scored every theme and submitted. Timed: the /sluitronde update through the
application (close and freeze the figures, the results message, the chart drawn and uploaded,
20 private feedback messages), and apart from it the storage close (one unit of work) and the
chart alone.

The first close of a process (matplotlib's import) is shown apart from the median and maximum.

Run: ``python -m benchmarks.close_round [--rounds 10] [--db sqlite|postgresql|both]``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

from fake_telegram.core import FakeTelegram

from benchmarks.world import ballot_of, database, median, ms, populate, round_of, start_app
from bot.context import BotContext
from conversations.voting_results import results_chart
from storage import ballots, voting

MEMBERS, THEMES = 20, 30


async def measure(kind: str, rounds: int) -> dict[str, float]:
    core = FakeTelegram()
    chance = random.Random(8)
    whole, storage_close, chart = [], [], []
    original = voting.close

    def timed_close(session, *args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return original(session, *args, **kwargs)
        finally:
            storage_close.append(time.perf_counter() - start)

    voting.close = timed_close  # the unit of work that closes the round, timed on its thread
    with database(kind) as db:
        harness = await start_app(core, db)
        key = harness.app.bot_data["services"].ballot_key
        try:
            for group in populate(core, db, groups=rounds, members=MEMBERS, themes=THEMES):
                core.send_message(group.people[0], group.chat, "/stemronde")
                await harness.run()
                round_id = round_of(ballot_of(core, group.people[0]))
                for person in group.people:
                    for theme_id in group.theme_ids:
                        db.run_short_sync(ballots.record_score, round_id, person["id"], theme_id, chance.randint(1, 3), key)
                    db.run_sync(voting.submit, round_id, person["id"], key)
                photos = len(core.calls_of("sendPhoto"))
                core.send_message(group.people[0], group.chat, "/sluitronde")
                start = time.perf_counter()
                await harness.run()
                whole.append(time.perf_counter() - start)
                assert len(core.calls_of("sendPhoto")) == photos + 1, "no chart was sent"
                # The chart alone, again from the closed round's figures.
                result = await db.run(voting.results, round_id)
                context = BotContext(harness.app)
                start = time.perf_counter()
                results_chart(context, "nl", result)
                chart.append(time.perf_counter() - start)
        finally:
            voting.close = original
            await harness.stop()
    if harness.errors:
        raise harness.errors[0]
    # The process's first close imports matplotlib and loads its fonts: reported on its own.
    steady = whole[1:] or whole
    return {
        "whole": median(steady),
        "max": max(steady),
        "first": whole[0],
        "close": median(storage_close[1:] or storage_close),
        "chart": median(chart),
    }


async def main(kinds: list[str], rounds: int) -> None:
    print(f"4. closing a round of {MEMBERS} members x {THEMES} themes (/sluitronde, chart included)")
    for kind in kinds:
        f = await measure(kind, rounds)
        print(
            f"  {kind:10s} per close: median {ms(f['whole'])}, max {ms(f['max'])} (first in the process: "
            f"{ms(f['first'])}) | of which the closing unit of work "
            f"{ms(f['close'])}, chart drawn {ms(f['chart'])} ({rounds} rounds)",
            flush=True,
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    arguments = parser.parse_args()
    asyncio.run(main(["sqlite", "postgresql"] if arguments.db == "both" else [arguments.db], arguments.rounds))
