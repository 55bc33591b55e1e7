"""1. Cost of one ballot press through the application, against PTB's own floor.

The press stores a score and redraws the ballot (conversations/ballot.py). The floor is a bare
PTB application whose only handler answers the press and edits the message with the same text
and keyboard our press sent: what any bot pays per update for that answer. Both are timed from
the update in to the last call out, in alternating blocks so machine noise hits both alike.

Both talk through a recording request object (benchmarks/recording.py): PTB encodes every call
as for HTTP, and the answer comes back at once. ``--through fake`` runs the same comparison on
the in-process fake Bot API instead, which validates every call and adds its own work to both.

Run: ``python -m benchmarks.update_cost [--presses 1000] [--db sqlite|postgresql|both] [--through recording|fake|both]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

from fake_telegram.core import FakeTelegram
from fake_telegram.request import FakeTelegramRequest
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, ContextTypes
from telegram.request import BaseRequest

from benchmarks.recording import RecordingRequest
from benchmarks.world import ballot_of, database, median, ms, percentile, populate, round_of, start_app, take_update
from tests.harness import Harness

BLOCK = 50


def _edit_of(params: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    """Text and keyboard of a recorded edit (the fake keeps the keyboard as a dict, HTTP as JSON)."""
    markup = params["reply_markup"]
    return params["text"], InlineKeyboardMarkup.de_json(json.loads(markup) if isinstance(markup, str) else markup, None)


def _recorded_edits(core: FakeTelegram, recording: RecordingRequest | None) -> list[dict[str, Any]]:
    if recording is not None:
        return recording.edits()
    return [call.params for call in core.calls if call.method == "editMessageText" and call.error is None]


class _Edits:
    """The edits the floor sends in turn: our press's last two, the older first (the fake refuses
    an edit that changes nothing, and the newer one is what the message shows now)."""

    def __init__(self) -> None:
        self.pair: list[tuple[str, InlineKeyboardMarkup]] = []
        self.turn = 0

    def take(self, recorded: list[dict[str, Any]]) -> None:
        self.pair = [_edit_of(params) for params in recorded[-2:]]
        self.turn = 0

    def next(self) -> tuple[str, InlineKeyboardMarkup]:
        self.turn += 1
        return self.pair[(self.turn - 1) % len(self.pair)]


async def _floor_app(core: FakeTelegram, request: BaseRequest, edits: _Edits) -> Application:
    """A bare application that answers each press and sends our edits in turn (HTML, as ours)."""

    async def answer_and_edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        text, keyboard = edits.next()
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)

    app = Application.builder().token(core.token).request(request).get_updates_request(FakeTelegramRequest(core)).build()
    app.add_handler(CallbackQueryHandler(answer_and_edit))
    await app.initialize()
    return app


async def _press(harness: Harness, app: Application, user: dict, message: dict, data: str) -> float:
    harness.core.press_button(user, message, data)
    update = take_update(harness)
    start = time.perf_counter()
    await app.process_update(update)
    return time.perf_counter() - start


async def measure(kind: str, presses: int, through: str = "recording") -> dict[str, float]:
    """Median and p99 per press, ours and the floor's, on one database kind."""
    core = FakeTelegram()
    recording = RecordingRequest(FakeTelegramRequest(core), core.bot) if through == "recording" else None
    floor_request = RecordingRequest(FakeTelegramRequest(core), core.bot) if through == "recording" else FakeTelegramRequest(core)
    with database(kind) as db:
        (group,) = populate(core, db, groups=1, members=2, themes=8)  # one page of the ballot
        harness = await start_app(core, db, request=recording)
        try:
            core.send_message(group.people[0], group.chat, "/stemronde")
            await harness.run()
            member = group.people[1]
            round_id = round_of(ballot_of(core, member))
            if recording is not None:
                recording.recording = True
            ours: list[float] = []
            bare: list[float] = []
            edits = _Edits()
            floor: Application | None = None
            n = 0
            while len(ours) < presses + BLOCK:  # the first block of each warms up, uncounted
                for _ in range(BLOCK):
                    theme = group.theme_ids[n % len(group.theme_ids)]
                    score = 1 + (n // len(group.theme_ids)) % 3  # every press changes a score
                    data = f"vote:{round_id}:{theme}:{score}"
                    ours.append(await _press(harness, harness.app, member, ballot_of(core, member), data))
                    n += 1
                edits.take(_recorded_edits(core, recording))
                if floor is None:
                    floor = await _floor_app(core, floor_request, edits)
                    if isinstance(floor_request, RecordingRequest):
                        floor_request.recording = True
                for _ in range(BLOCK):
                    message = ballot_of(core, member)
                    data = message["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
                    bare.append(await _press(harness, floor, member, message, data))
            assert floor is not None
            await floor.shutdown()
        finally:
            await harness.stop()
    if harness.errors:
        raise harness.errors[0]
    ours, bare = ours[BLOCK:], bare[BLOCK:]
    return {
        "median": median(ours),
        "p99": percentile(ours, 0.99),
        "floor_median": median(bare),
        "floor_p99": percentile(bare, 0.99),
    }


def report(kind: str, through: str, figures: dict[str, float], presses: int) -> str:
    ratio = figures["median"] / figures["floor_median"]
    return (
        f"  {kind:10s} through {through:9s} ballot press: median {ms(figures['median'])}, p99 {ms(figures['p99'])} | "
        f"floor: median {ms(figures['floor_median'])}, p99 {ms(figures['floor_p99'])} | "
        f"ratio {ratio:.1f}x ({presses} presses each)"
    )


async def main(kinds: list[str], presses: int, throughs: list[str]) -> None:
    print("1. per-update cost (ballot press: store the score, redraw the ballot)")
    for through in throughs:
        for kind in kinds:
            print(report(kind, through, await measure(kind, presses, through), presses), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=1000)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--through", choices=("recording", "fake", "both"), default="recording")
    arguments = parser.parse_args()
    asyncio.run(
        main(
            ["sqlite", "postgresql"] if arguments.db == "both" else [arguments.db],
            arguments.presses,
            ["recording", "fake"] if arguments.through == "both" else [arguments.through],
        )
    )
