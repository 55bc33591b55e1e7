"""Size and time of /export and /herstel for a large steering group (figures, not a test).

Run: ``python -m benchmarks.archive [--members 25] [--themes 60] [--rounds 6]``. Builds one
trajectory on a temporary SQLite file (members, themes, rounds with every member's scores,
contributions, dream images), then times export, ZIP writing, reading back with all checks, and
the restore into a new group. Prints the ZIP size and seconds per step; compare within one run.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from method.portability.archive import build_zip, read_zip
from storage import archive, people, trajectories
from storage.db import Database
from storage.migrate import upgrade
from storage.models import (
    Ballot,
    Contribution,
    Dialogue,
    DreamImage,
    Question,
    RoundResult,
    RoundTheme,
    Score,
    Theme,
    VotingRound,
)
from storage.records import TelegramUser

KEY = b"benchmark-key-0123456789abcdef0123456789"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _fill(session, members: int, themes: int, rounds: int) -> int:  # type: ignore[no-untyped-def]
    users = [TelegramUser(10_000 + i, f"Lid {i}", "Achternaam") for i in range(members)]
    trajectory, _ = trajectories.register_group(
        session, -9001, "Groot", users[0], language="nl", timezone="Europe/Brussels"
    )
    for user in users:
        people.join(session, trajectory.join_token, user)
    person_ids = [people.upsert_person(session, user).id for user in users]
    rows = [
        Theme(trajectory_id=trajectory.id, position=i, name=f"Thema {i}", description="Uitleg " * 20)
        for i in range(themes)
    ]
    session.add_all(rows)
    question = Question(trajectory_id=trajectory.id, position=1, text="Vraag")
    session.add(question)
    session.flush()
    dialogue = Dialogue(trajectory_id=trajectory.id, question_id=question.id)
    session.add(dialogue)
    session.flush()
    session.add_all(
        Contribution(dialogue_id=dialogue.id, question_id=question.id, person_id=p, text="Een antwoord " * 15)
        for p in person_ids * 8
    )
    session.add_all(
        DreamImage(
            trajectory_id=trajectory.id,
            theme_id=rows[i % themes].id,
            person_id=person_ids[i % members],
            number=i + 1,
            text="Een droombeeld " * 10,
        )
        for i in range(members * 12)
    )
    for number in range(1, rounds + 1):
        voting_round = VotingRound(
            trajectory_id=trajectory.id,
            number=number,
            status="closed",
            rule_key="default",
            sought=3,
            quorum_pct=67,
            members=members,
        )
        session.add(voting_round)
        session.flush()
        session.add_all(RoundTheme(round_id=voting_round.id, theme_id=t.id) for t in rows)
        for index in range(members):
            ballot = Ballot(round_id=voting_round.id, pseudonym=f"p{number}-{index}", submitted=True)
            session.add(ballot)
            session.flush()
            session.add_all(Score(ballot_id=ballot.id, theme_id=t.id, score=1 + (index + t.position) % 3) for t in rows)
        session.add_all(
            RoundResult(
                round_id=voting_round.id,
                theme_id=t.id,
                votes=members,
                total=2 * members,
                mean=2.0,
                median=2.0,
                ones=1,
                twos=1,
                threes=1,
                share_threes=0.3,
                share_ones=0.3,
                rank=t.position + 1,
            )
            for t in rows
        )
    return trajectory.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=25)
    parser.add_argument("--themes", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        db = Database(url)
        source = db.run_sync(_fill, args.members, args.themes, args.rounds)
        target = db.run_sync(
            lambda s: (
                trajectories.register_group(
                    s, -9002, "Nieuw", TelegramUser(10_000, "Lid 0"), language="nl", timezone="Europe/Brussels"
                )[0].id
            )
        )
        schema = archive.schema()
        start = time.perf_counter()
        tables = db.run_sync(archive.export_trajectory, source)
        exported = time.perf_counter()
        data = build_zip(tables, schema, app_version="bench", exported_at=NOW, key=KEY)
        zipped = time.perf_counter()
        checked = read_zip(data, schema)
        read = time.perf_counter()
        counts = db.run_sync(archive.restore, target, checked)
        restored = time.perf_counter()
        db.dispose()
    rows = sum(len(found) for found in tables.values())
    print(f"{rows} rows ({counts['score']} scores), ZIP {len(data) / 1024:.0f} kB")
    print(
        f"export {exported - start:.2f} s · write ZIP {zipped - exported:.2f} s · "
        f"read and check {read - zipped:.2f} s · restore {restored - read:.2f} s"
    )


if __name__ == "__main__":
    main()
