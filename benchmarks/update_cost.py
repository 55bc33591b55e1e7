"""1. Cost of one ballot press through the application, against PTB's own floor.

The press stores a score and redraws the ballot (conversations/ballot.py). The floor is a bare
PTB application on the same in-process fake whose only handler answers the press and edits the
message: what any bot pays per update. Both are timed from the update in to the last call out,
in alternating blocks so machine noise hits both alike.

Run: ``python -m benchmarks.update_cost [--presses 1000] [--db sqlite|postgresql|both]``.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import time

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from benchmarks.world import ballot_of, database, median, ms, percentile, populate, round_of, start_app, take_update
from bot.fake_telegram.core import FakeTelegram
from bot.fake_telegram.request import FakeTelegramRequest
from tests.harness import Harness

BLOCK = 50


async def _floor_app(core: FakeTelegram, text: str) -> Application:
    async def answer_and_edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer()
        # Alternate the text so every edit changes the message, as a changed score does.
        flip = "✅" if query.message.text and query.message.text.startswith("⬜") else "⬜"
        await query.edit_message_text(
            f"{flip} {text}", parse_mode=ParseMode.HTML, reply_markup=query.message.reply_markup
        )

    app = (
        Application.builder()
        .token(core.token)
        .request(FakeTelegramRequest(core))
        .get_updates_request(FakeTelegramRequest(core))
        .build()
    )
    app.add_handler(CallbackQueryHandler(answer_and_edit))
    await app.initialize()
    return app


async def _press(harness: Harness, app: Application, user: dict, message: dict, data: str) -> float:
    harness.core.press_button(user, message, data)
    update = take_update(harness)
    start = time.perf_counter()
    await app.process_update(update)
    return time.perf_counter() - start


async def measure(kind: str, presses: int) -> dict[str, float]:
    """Median and p99 per press, ours and the floor's, on one database kind."""
    core = FakeTelegram()
    with database(kind) as db:
        (group,) = populate(core, db, groups=1, members=2, themes=8)  # one page of the ballot
        harness = await start_app(core, db)
        try:
            core.send_message(group.people[0], group.chat, "/stemronde")
            await harness.run()
            member = group.people[1]
            ballot = ballot_of(core, member)
            round_id = round_of(ballot)
            floor = await _floor_app(core, html.escape(ballot["text"]))
            ours: list[float] = []
            bare: list[float] = []
            n = 0
            while len(ours) < presses:
                for _ in range(BLOCK):
                    theme = group.theme_ids[n % len(group.theme_ids)]
                    score = 1 + (n // len(group.theme_ids)) % 3  # every press changes a score
                    ours.append(
                        await _press(
                            harness, harness.app, member, ballot_of(core, member), f"vote:{round_id}:{theme}:{score}"
                        )
                    )
                    n += 1
                for _ in range(BLOCK):
                    message = ballot_of(core, member)
                    data = message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
                    bare.append(await _press(harness, floor, member, message, data))
            await floor.shutdown()
        finally:
            await harness.stop()
    if harness.errors:
        raise harness.errors[0]
    return {
        "median": median(ours),
        "p99": percentile(ours, 0.99),
        "floor_median": median(bare),
        "floor_p99": percentile(bare, 0.99),
    }


def report(kind: str, figures: dict[str, float], presses: int) -> str:
    ratio = figures["median"] / figures["floor_median"]
    return (
        f"  {kind:10s} ballot press: median {ms(figures['median'])}, p99 {ms(figures['p99'])} | "
        f"floor: median {ms(figures['floor_median'])}, p99 {ms(figures['floor_p99'])} | "
        f"ratio {ratio:.1f}x ({presses} presses each)"
    )


async def main(kinds: list[str], presses: int) -> None:
    print("1. per-update cost (ballot press: store the score, redraw the ballot)")
    for kind in kinds:
        print(report(kind, await measure(kind, presses), presses), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=1000)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    arguments = parser.parse_args()
    asyncio.run(main(["sqlite", "postgresql"] if arguments.db == "both" else [arguments.db], arguments.presses))
