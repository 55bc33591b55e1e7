"""5. Memory: the resident size of the real bot process with many groups registered and rounds open.

The database gets ``--groups`` groups of 15 joined members (6 themes each) and ``--rounds`` open
rounds with a deadline (so the process keeps a deadline job for each). Then the bot process
(``kopgroep run``, SQLite file) starts against the fake Bot API over HTTP, and ``--asks`` members
of the open rounds ask for their ballot again (/stembiljet): the process renders and sends them.
Reported: resident memory after start, after that traffic, and at the peak, against the same
process on an empty database.

Run: ``python -m benchmarks.memory [--groups 1000] [--rounds 100] [--asks 300]``.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import timedelta
from pathlib import Path

from fake_telegram.core import FakeTelegram
from fake_telegram.waiting import wait_for_sync

from benchmarks.world import bot_process, populate, process_memory_mb
from storage import voting
from storage.db import Database
from storage.migrate import upgrade
from storage.models import utcnow

MEMBERS = 15


def measure(groups: int, rounds: int, asks: int) -> dict[str, float]:
    core = FakeTelegram()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'kopgroep.db'}"
        upgrade(url)
        db = Database(url)
        made = populate(core, db, groups=groups, members=MEMBERS, themes=6) if groups else []
        deadline = utcnow() + timedelta(days=2)
        for group in made[:rounds]:
            db.run_sync(
                voting.open_round,
                group.trajectory_id,
                theme_ids=tuple(group.theme_ids),
                kind="round",
                places=None,
                deadline=deadline,
            )
        db.dispose()
        with bot_process(core, url) as (process, _):
            started, _ = process_memory_mb(process.pid)
            askers = [person for group in made[:rounds] for person in group.people][:asks]
            before = len(core.calls_of("sendMessage"))
            for person in askers:
                core.send_message(person, person["id"], "/stembiljet")
            wait_for_sync(
                core,
                lambda c: len(c.calls_of("sendMessage")) >= before + len(askers),
                timeout=60 + len(askers) / 10,
                what="every ballot to be sent",
            )
            after, peak = process_memory_mb(process.pid)
    return {"started": started, "after": after, "peak": peak}


def main(groups: int, rounds: int, asks: int) -> None:
    print("5. memory of the bot process (resident)")
    empty = measure(0, 0, 0)
    full = measure(groups, rounds, asks)
    print(
        f"  {groups:,} groups x {MEMBERS} members, {rounds} rounds open: {full['started']:.0f} MB after start, "
        f"{full['after']:.0f} MB after {asks} ballots sent, peak {full['peak']:.0f} MB | "
        f"empty database: {empty['started']:.0f} MB after start",
        flush=True,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--asks", type=int, default=300)
    arguments = parser.parse_args()
    main(arguments.groups, arguments.rounds, arguments.asks)
