"""Export and restore on SQLite and PostgreSQL: the same content comes back under new ids, and a
refused restore changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from method.anonymity import pseudonym
from method.portability.archive import ArchiveError, build_zip, read_zip
from storage import voting
from storage.archive import EXPORTED, LEFT_OUT, export_trajectory, restore, schema
from storage.db import Database
from storage.models import Ballot, Base, Membership, Person, Prompt, Reminder, Theme, VotingRound
from tests.storage.archive_helpers import ANNE, KEY, new_group, normalised, seed

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _zip(db: Database, trajectory_id: int) -> bytes:
    tables = db.run_sync(export_trajectory, trajectory_id)
    return build_zip(tables, schema(), app_version="test", exported_at=NOW)


def test_every_table_is_exported_or_deliberately_left_out() -> None:
    """A table added later must be placed in EXPORTED or LEFT_OUT (with the reason)."""
    tables = set(Base.metadata.tables)
    assert tables == set(EXPORTED) | set(LEFT_OUT), sorted(tables ^ (set(EXPORTED) | set(LEFT_OUT)))
    assert not set(EXPORTED) & set(LEFT_OUT)
    # Insert order: every table comes after the tables it points at.
    seen: set[str] = set()
    for spec in schema():
        for column in spec.columns:
            assert column.references in seen | {spec.name, None} or column.references == "person", (
                spec.name,
                column.name,
            )
        seen.add(spec.name)


def test_export_holds_every_table_and_no_secrets(db: Database) -> None:
    tid = db.run_sync(seed)
    tables = db.run_sync(export_trajectory, tid)
    for name in EXPORTED:
        assert tables[name], f"seed left {name} empty: the round trip would not cover it"
    text = json.dumps(tables)
    assert "join_token" not in text and "pseudonym" not in text
    (trajectory,) = tables["trajectory"]
    assert trajectory["title"] == "Kopgroep MVO"
    assert {p["first_name"] for p in tables["person"]} == {"Anne", "Bart", "Chris", "Dirk"}


def test_export_restore_export_gives_the_same_content(db: Database) -> None:
    source = db.run_sync(seed)
    before = db.run_sync(export_trajectory, source)
    target = db.run_sync(new_group, -7002)
    counts = db.run_sync(restore, target, read_zip(_zip(db, source), schema()))
    assert counts["score"] == 15 and counts["person"] == 4
    after = db.run_sync(export_trajectory, target)
    assert normalised(after) == normalised(before)
    # New ids everywhere, the old group untouched.
    assert {t["id"] for t in after["theme"]}.isdisjoint({t["id"] for t in before["theme"]})
    assert normalised(db.run_sync(export_trajectory, source)) == normalised(before)

    def restored_state(session):  # type: ignore[no-untyped-def]
        prompts = session.scalar(select(func.count()).select_from(Prompt).where(Prompt.trajectory_id == target))
        reminders = session.scalar(select(func.count()).select_from(Reminder).where(Reminder.trajectory_id == target))
        moderators = session.scalars(
            select(Person.telegram_id)
            .join(Membership)
            .where(Membership.trajectory_id == target, Membership.role == "moderator")
        ).all()
        names = session.scalars(
            select(Ballot.pseudonym).join(VotingRound).where(VotingRound.trajectory_id == target)
        ).all()
        (round_id,) = session.scalars(select(VotingRound.id).where(VotingRound.trajectory_id == target)).all()
        return prompts, reminders, moderators, names, round_id

    prompts, reminders, moderators, names, round_id = db.run_sync(restored_state)
    assert (prompts, reminders, moderators) == (0, 0, [ANNE.telegram_id])
    # Ballots keep their figures but no pseudonym anyone can recompute.
    assert len(set(names)) == 5 and all(name.startswith("restored:") for name in names)
    person_ids = db.run_sync(lambda s: s.scalars(select(Person.id)).all())
    assert not {pseudonym(KEY, round_id, p) for p in person_ids} & set(names)
    # The frozen results read the same.
    old_round = db.run_sync(voting.round_by_number, source, 1)
    new_round = db.run_sync(voting.round_by_number, target, 1)
    old, new = db.run_sync(voting.results, old_round.id), db.run_sync(voting.results, new_round.id)

    def figures(result):  # type: ignore[no-untyped-def]
        return [(result.names[t.theme_id], t.votes, t.total, t.mean, t.threes, t.rank) for t in result.tally.themes]

    assert figures(new) == figures(old)
    assert (
        [new.names[t] for t in new.outcome.chosen]
        == [old.names[t] for t in old.outcome.chosen]
        == ["Thema 1", "Thema 2"]
    )


def test_restore_twice_or_into_a_used_group_is_refused_and_changes_nothing(db: Database) -> None:
    source = db.run_sync(seed)
    data = _zip(db, source)
    target = db.run_sync(new_group, -7002)
    db.run_sync(restore, target, read_zip(data, schema()))
    before = db.run_sync(export_trajectory, target)
    with pytest.raises(ArchiveError) as refused:
        db.run_sync(restore, target, read_zip(data, schema()))
    assert refused.value.code == "not_empty"
    assert db.run_sync(export_trajectory, target) == before


def test_a_failing_insert_rolls_everything_back(db: Database) -> None:
    """Two themes with the same id pass nothing: checked before; two goals with one number fail in
    the database halfway, and the transaction leaves the new group empty."""
    source = db.run_sync(seed)
    tables = read_zip(_zip(db, source), schema())
    tables["goal"].append({**tables["goal"][0], "id": 999_999})  # same (trajectory, number): unique violation
    target = db.run_sync(new_group, -7002)
    with pytest.raises(Exception):  # noqa: B017 - the database's IntegrityError, whichever driver
        db.run_sync(restore, target, tables)
    assert (
        db.run_sync(lambda s: s.scalar(select(func.count()).select_from(Theme).where(Theme.trajectory_id == target)))
        == 0
    )


def test_an_open_round_comes_back_cancelled(db: Database) -> None:
    source = db.run_sync(seed)

    def reopen(session):  # type: ignore[no-untyped-def]
        session.scalars(select(VotingRound).where(VotingRound.trajectory_id == source)).one().status = "open"

    db.run_sync(reopen)
    target = db.run_sync(new_group, -7002)
    db.run_sync(restore, target, read_zip(_zip(db, source), schema()))
    (status,) = db.run_sync(
        lambda s: s.scalars(select(VotingRound.status).where(VotingRound.trajectory_id == target)).all()
    )
    assert status == "cancelled"
