"""7. The meeting room's screen: what one look costs (an open page takes one a second).

A group of 20 members and 30 themes, a session opened, a closed round and an open one with half
the ballots in. Timed per scene: ``ScreenHub.state`` while nothing changes (the glance: the link
and one statement's mark) and after a change (the scene read in one unit of work and rendered from
the chat's templates), and the chart drawn for the screen (at twice the chat's pixels; once per
round, then kept). From the glance's CPU time follows how many open pages one core serves at
one look a second while nothing happens.

Run: ``python -m benchmarks.screen [--looks 100] [--db sqlite|postgresql|both]``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

from fake_telegram.core import FakeTelegram

from benchmarks.world import ballot_of, database, median, ms, percentile, populate, round_of, start_app
from conversations import screen_web
from conversations.screen_web import ScreenHub
from method.screen_link import make_token, new_secret, secret_hash
from storage import ballots, screen, voting
from storage.models import utcnow

MEMBERS, THEMES = 20, 30
SCENES = ("synthesis", "voting", "results")


async def measure(kind: str, looks: int) -> dict[str, list[float]]:
    core = FakeTelegram()
    chance = random.Random(7)
    timings: dict[str, list[float]] = {scene: [] for scene in SCENES}
    with database(kind) as db:
        harness = await start_app(core, db)
        try:
            (group,) = populate(core, db, groups=1, members=MEMBERS, themes=THEMES)
            key = harness.app.bot_data["services"].ballot_key
            moderator = group.people[0]
            core.send_message(moderator, group.chat, "/sessie")
            for number in (1, 2):
                core.send_message(moderator, group.chat, "/stemronde")
                await harness.run()
                round_id = round_of(ballot_of(core, moderator))
                voters = group.people if number == 1 else group.people[: MEMBERS // 2]
                for person in voters:
                    for theme_id in await db.run(lambda s, r=round_id: [t.id for t in voting.round_themes(s, r)]):
                        db.run_short_sync(ballots.record_score, round_id, person["id"], theme_id, chance.randint(1, 3), key)
                    db.run_sync(voting.submit, round_id, person["id"], key)
                if number == 1:
                    core.send_message(moderator, group.chat, "/sluitronde")
                    await harness.run()
            hub = ScreenHub(harness.app.bot_data["services"])
            secret = new_secret()
            link = await db.run(screen.create_link, group.trajectory_id, secret_hash(secret), utcnow())
            token = make_token(hub.key, link.id, secret)
            start = time.perf_counter()
            status, png = await hub.chart(token, 1)
            timings["chart"] = [time.perf_counter() - start]
            assert status == "ok" and png is not None
            for scene in SCENES:
                state = await hub.state(token, scene)
                assert state.shown == scene, (scene, state.shown)
                changed = timings.setdefault(f"{scene} changed", [])
                cpu = timings.setdefault(f"{scene} cpu", [])
                for _ in range(looks):
                    start, used = time.perf_counter(), time.process_time()
                    await hub.state(token, scene)
                    timings[scene].append(time.perf_counter() - start)
                    cpu.append(time.process_time() - used)
                    screen_web.FULL_LOOK, kept = 0.0, screen_web.FULL_LOOK  # as if the mark had moved
                    start = time.perf_counter()
                    await hub.state(token, scene)
                    changed.append(time.perf_counter() - start)
                    screen_web.FULL_LOOK = kept
        finally:
            await harness.stop()
    if harness.errors:
        raise harness.errors[0]
    return timings


async def main(kinds: list[str], looks: int) -> None:
    print(f"7. the meeting room's screen: one look ({MEMBERS} members x {THEMES} themes, {looks} looks per scene)")
    for kind in kinds:
        timings = await measure(kind, looks)
        parts = [
            f"{scene}: unchanged {ms(median(timings[scene]))} (p95 {ms(percentile(timings[scene], 0.95))}, "
            f"CPU {ms(median(timings[scene + ' cpu']))}), "
            f"changed {ms(median(timings[scene + ' changed']))}"
            for scene in SCENES
        ]
        # What a core can carry follows from the CPU a look takes (the wall time includes waiting
        # for a busy machine's cores).
        slowest = max(median(timings[scene + " cpu"]) for scene in SCENES)
        print(f"  {kind:10s} per look, median: {' | '.join(parts)}", flush=True)
        print(
            f"  {'':10s} chart for the screen {ms(timings['chart'][0])} (once per round) | one core: "
            f"~{int(1 / slowest)} open pages at one look a second while nothing changes",
            flush=True,
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--looks", type=int, default=100)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    arguments = parser.parse_args()
    asyncio.run(main(["sqlite", "postgresql"] if arguments.db == "both" else [arguments.db], arguments.looks))
