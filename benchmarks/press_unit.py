"""1b. The ballot press's unit of work alone, without PTB: what the database part of a press costs.

One member in a round of 10 themes presses scores one after the other (every press changes a
score); the unit is timed from the call to its return, committed. On PostgreSQL the unit runs
as the application runs it (``Database.run_once``: one statement in autocommit, durable); on
SQLite as ``Database.run_short``. Medians and p90 of ``--presses`` (the first 50 uncounted).

Run: ``python -m benchmarks.press_unit [--presses 600] [--db sqlite|postgresql|both]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchmarks.world import database
from storage import ballots
from storage.db import Database
from storage.models import BallotDelivery, Membership, Person, RoundTheme, Theme, Trajectory, VotingRound

KEY = b"bench-ballot-secret-0123456789abcdef"


def _seed(session) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    trajectory = Trajectory(chat_id=-1, title="Bench", language="nl", timezone="Europe/Brussels", join_token="bench")
    session.add(trajectory)
    session.flush()
    person = Person(telegram_id=1001, first_name="Anne", reachable=True)
    session.add(person)
    session.flush()
    session.add(Membership(trajectory_id=trajectory.id, person_id=person.id, status="joined"))
    themes = [Theme(trajectory_id=trajectory.id, position=i, name=f"Thema {i}") for i in range(1, 11)]
    session.add_all(themes)
    session.flush()
    round_ = VotingRound(trajectory_id=trajectory.id, number=1, rule_key="default", sought=3, quorum_pct=67, members=1)
    session.add(round_)
    session.flush()
    session.add_all(RoundTheme(round_id=round_.id, theme_id=theme.id) for theme in themes)
    session.add(BallotDelivery(round_id=round_.id, person_id=person.id))
    return round_.id, [theme.id for theme in themes]


def measure(db: Database, presses: int) -> tuple[float, float]:
    round_id, themes = db.run_sync(_seed)
    # ``run_once_sync`` where the tree has it; an older tree (before/after figures) ran the press with run_short.
    run = getattr(db, "run_once_sync", db.run_short_sync)
    times = []
    for n in range(presses + 50):
        start = time.perf_counter()
        press = run(ballots.record_score, round_id, 1001, themes[n % 10], 1 + (n // 10) % 3, KEY)
        times.append(time.perf_counter() - start)
        assert press.status == "ok", press.status
    counted = sorted(times[50:])
    return statistics.median(counted), counted[int(len(counted) * 0.9)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=600)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    arguments = parser.parse_args()
    print("1b. the press's unit of work alone (store one score, read the ballot back)")
    for kind in ("sqlite", "postgresql") if arguments.db == "both" else (arguments.db,):
        with database(kind) as db:
            median, p90 = measure(db, arguments.presses)
        print(
            f"  {kind:10s} unit: median {median * 1000:.3f} ms, p90 {p90 * 1000:.3f} ms ({arguments.presses} presses)",
            flush=True,
        )


if __name__ == "__main__":
    main()
