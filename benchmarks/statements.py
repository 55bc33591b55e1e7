"""2. SQL statements per update for the main actions, counted with SQLAlchemy's engine events.

Each action is one update through the application; every statement the engine runs while it is
handled is counted (BEGIN/COMMIT are not statements). The counts are shown for groups of
different sizes: a count that grows with members or themes where it need not is an N+1.
tests/storage/test_statement_counts.py checks the same counts do not grow.

Run: ``python -m benchmarks.statements [--db sqlite|postgresql|both]``.
"""

from __future__ import annotations

import argparse
import asyncio

from fake_telegram.core import FakeTelegram

from benchmarks.world import StatementCounter, ballot_of, database, populate, round_of, start_app
from storage import ballots, voting
from tests.harness import Harness

ACTIONS = ("join", "open round", "ballot press", "submit", "close round", "dream image")
# Actions that go to every member: their statements grow with the members by nature.
# Since the outbox the harness sends what an update queued: a ballot, a member's feedback, each drawn and
# sent per member by nature (the drain's statements count with the update that queued them).
PER_MEMBER = ("open round", "close round")
SIZES = ((5, 10), (15, 10), (5, 20), (15, 20))


async def _counted(harness: Harness) -> int:
    """Statements run while the queued updates are handled."""
    with StatementCounter(harness.db) as counter:
        await harness.run()
    return counter.count


async def action_counts(harness: Harness, members: int, themes: int) -> dict[str, int]:
    """Statements per action in a fresh group of ``members`` members and ``themes`` themes."""
    core = harness.core
    (group,) = populate(core, harness.db, groups=1, members=members, themes=themes)
    moderator, member = group.people[0], group.people[1]
    key = harness.app.bot_data["services"].ballot_key
    counts: dict[str, int] = {}

    newcomer = core.add_user("Nieuw")
    core.add_member(group.chat, newcomer)
    token = f"bench-{len(core.chats)}"
    harness.db.run_sync(_set_token, group.trajectory_id, token)
    core.open_deep_link(newcomer, token)
    counts["join"] = await _counted(harness)

    core.send_message(moderator, group.chat, "/stemronde")
    counts["open round"] = await _counted(harness)
    round_id = round_of(ballot_of(core, member))

    # Every member but one scores every theme straight in the database (not counted).
    for person in group.people + [newcomer]:
        for theme_id in group.theme_ids:
            harness.db.run_short_sync(ballots.record_score, round_id, person["id"], theme_id, 2, key)
    core.press_button(member, ballot_of(core, member), f"vote:{round_id}:{group.theme_ids[0]}:3")
    counts["ballot press"] = await _counted(harness)
    for person in group.people[2:] + [newcomer]:
        harness.db.run_sync(voting.submit, round_id, person["id"], key)
    core.press_button(member, ballot_of(core, member), f"vsubmit:{round_id}")
    counts["submit"] = await _counted(harness)

    core.send_message(moderator, group.chat, "/sluitronde")
    counts["close round"] = await _counted(harness)

    core.send_message(moderator, group.chat, "/consensus 1, 2, 3")
    core.send_message(moderator, group.chat, "/droombeelden")
    await harness.run()
    template = next(m for m in reversed(core.sent_messages(member["id"])) if "dth:" in str(m.get("reply_markup") or ""))
    data = next(
        b["callback_data"]
        for row in template["reply_markup"]["inline_keyboard"]
        for b in row
        if b.get("callback_data", "").startswith("dth:")
    )
    core.press_button(member, template, data)
    await harness.run()
    core.send_message(member, member["id"], "Een fietsenstalling bij elk gemeentehuis")
    counts["dream image"] = await _counted(harness)
    return counts


def _set_token(session, trajectory_id: int, token: str) -> None:  # type: ignore[no-untyped-def]
    from storage.models import Trajectory

    session.get_one(Trajectory, trajectory_id).join_token = token


async def measure(kind: str) -> dict[tuple[int, int], dict[str, int]]:
    core = FakeTelegram()
    with database(kind) as db:
        harness = await start_app(core, db)
        try:
            return {size: await action_counts(harness, *size) for size in SIZES}
        finally:
            await harness.stop()
            if harness.errors:
                raise harness.errors[0]


def report(kind: str, table: dict[tuple[int, int], dict[str, int]]) -> list[str]:
    lines = [f"  {kind}: statements per update  " + "  ".join(f"{m:>2}m/{t:>2}t" for m, t in SIZES)]
    for action in ACTIONS:
        row = [table[size][action] for size in SIZES]
        grows = len(set(row)) > 1
        note = "" if not grows else (" (one per member: expected)" if action in PER_MEMBER else " GROWS")
        lines.append(f"    {action:14s}" + "".join(f"{n:>9}" for n in row) + note)
    return lines


async def main(kinds: list[str]) -> None:
    print("2. SQL statements per update (m = members, t = themes)")
    for kind in kinds:
        print("\n".join(report(kind, await measure(kind))), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    arguments = parser.parse_args()
    asyncio.run(main(["sqlite", "postgresql"] if arguments.db == "both" else [arguments.db]))
