"""Reminder rows on SQLite and PostgreSQL: planning, claiming once, dropping what is no longer
useful, taking over a dead instance's claim; on PostgreSQL, instances claiming at the same time."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from storage import dreams, people, reminders, trajectories
from storage.db import Database
from storage.models import Meeting, Reminder, Theme
from storage.records import TelegramUser

ANNE = TelegramUser(1001, "Anne")
BART = TelegramUser(1002, "Bart")
CHRIS = TelegramUser(1003, "Chris")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SESSION = datetime(2026, 12, 10, 13, 0, tzinfo=UTC)


def setup(
    db: Database, *, chat_id: int = -5001, members: tuple[TelegramUser, ...] = (ANNE, BART, CHRIS)
) -> tuple[int, list[int]]:
    """A group whose members joined, three chosen themes, the collection started."""
    trajectory, _ = db.run_sync(
        trajectories.register_group, chat_id, "Kopgroep", members[0], language="nl", timezone="Europe/Brussels"
    )
    for user in members:
        db.run_sync(people.join, trajectory.join_token, user)

    def add(session) -> list[int]:  # type: ignore[no-untyped-def]
        rows = [Theme(trajectory_id=trajectory.id, position=i, name=f"Thema {i}", status="chosen") for i in (1, 2, 3)]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]

    themes = db.run_sync(add)
    db.run_sync(dreams.start_collection, trajectory.id, NOW)
    return trajectory.id, themes


def test_planning_creates_one_row_per_member_and_moment(db: Database) -> None:
    trajectory_id, _ = setup(db)
    planned, before = db.run_sync(reminders.plan_session, trajectory_id, SESSION, NOW)
    assert before is None and planned.ics_sequence == 0
    rows = db.run_sync(reminders.states, trajectory_id)
    assert len(rows) == 6
    assert {row[3] for row in rows} == {SESSION - timedelta(hours=72), SESSION - timedelta(hours=24)}
    assert db.run_sync(reminders.sync, trajectory_id, NOW) == 6  # idempotent
    assert len(db.run_sync(reminders.states, trajectory_id)) == 6

    # Moving the session: pending rows follow, the calendar sequence goes up.
    moved, before = db.run_sync(reminders.plan_session, trajectory_id, SESSION + timedelta(days=1), NOW)
    assert before == SESSION and moved.id == planned.id and moved.ics_sequence == 1
    assert {row[3] for row in db.run_sync(reminders.states, trajectory_id)} == {
        SESSION + timedelta(hours=24 - 72),
        SESSION,
    }
    # A moment already past when planned is not created.
    db.run_sync(reminders.set_hours, trajectory_id, (300, 2), NOW)
    assert {row[3] for row in db.run_sync(reminders.states, trajectory_id)} == {SESSION + timedelta(hours=22)}


def test_claim_takes_each_due_row_once_and_drops_what_is_not_useful(db: Database) -> None:
    trajectory_id, themes = setup(db)
    db.run_sync(reminders.plan_session, trajectory_id, SESSION, NOW)
    assert db.run_sync(reminders.claim_due, NOW, "a") == []  # nothing due yet
    # Chris is done with every theme; Bart left the group.
    for theme in themes:
        db.run_sync(dreams.set_done, trajectory_id, CHRIS.telegram_id, theme, True, NOW)
    db.run_sync(people.note_left_group, -5001, BART.telegram_id)
    first = SESSION - timedelta(hours=72)
    claimed = db.run_sync(reminders.claim_due, first, "a")
    assert len(claimed) == 3
    assert db.run_sync(reminders.claim_due, first, "b") == []  # already claimed
    decisions = {job.person_id: db.run_sync(reminders.prepare, job.id, "a", first) for job in claimed}
    actions = sorted((d.action, d.reason) for d in decisions.values())
    assert actions == [("drop", "done"), ("drop", "left"), ("send", None)]
    sending = next(job for job in claimed if decisions[job.person_id].action == "send")
    decision = decisions[sending.person_id]
    assert decision.telegram_id == ANNE.telegram_id and [t.name for t, _ in decision.missing] == [
        "Thema 1",
        "Thema 2",
        "Thema 3",
    ]
    # Another instance cannot prepare or finish a row it did not claim.
    assert db.run_sync(reminders.prepare, sending.id, "b", first).action == "skip"
    assert db.run_sync(reminders.finish, sending.id, "b", "sent", first) is False
    assert db.run_sync(reminders.finish, sending.id, "a", "sent", first) is True
    states = {(row[0], row[2]) for row in db.run_sync(reminders.states, trajectory_id) if row[3] == first}
    assert {state for _, state in states} == {"sent", "dropped"}


def test_after_downtime_only_the_latest_due_reminder_goes_and_none_after_the_session(db: Database) -> None:
    trajectory_id, _ = setup(db, members=(ANNE, BART))
    db.run_sync(reminders.plan_session, trajectory_id, SESSION, NOW)
    back = SESSION - timedelta(hours=3)  # both moments passed while the bot was down
    jobs = db.run_sync(reminders.claim_due, back, "a")
    assert len(jobs) == 4
    actions = [db.run_sync(reminders.prepare, job.id, "a", back) for job in jobs]
    assert sorted(a.reason or a.action for a in actions) == ["send", "send", "superseded", "superseded"]

    trajectory_id, _ = setup(db, chat_id=-5002, members=(TelegramUser(2001, "Zoë"),))
    db.run_sync(reminders.plan_session, trajectory_id, SESSION, NOW)
    late = SESSION + timedelta(minutes=1)
    jobs = db.run_sync(reminders.claim_due, late, "a")
    assert {db.run_sync(reminders.prepare, job.id, "a", late).reason for job in jobs} == {"session_started"}


def test_a_dead_instances_claim_is_taken_over_but_a_half_sent_one_is_never_resent(db: Database) -> None:
    trajectory_id, _ = setup(db, members=(ANNE, BART))
    db.run_sync(reminders.plan_session, trajectory_id, SESSION, NOW)
    due = SESSION - timedelta(hours=72)
    claimed = db.run_sync(reminders.claim_due, due, "dead")
    assert len(claimed) == 2
    # "dead" got as far as sending one of them, then died.
    assert db.run_sync(reminders.prepare, claimed[0].id, "dead", due).action == "send"
    soon = due + timedelta(minutes=1)
    assert db.run_sync(reminders.claim_due, soon, "alive") == []  # a fresh claim is respected
    later = due + reminders.CLAIM_TIMEOUT + timedelta(seconds=1)
    taken = db.run_sync(reminders.claim_due, later, "alive")
    assert [job.id for job in taken] == [claimed[1].id]
    rows = db.run_sync(lambda s: {r.id: (r.state, r.outcome, r.claimed_by) for r in s.scalars(select(Reminder))})
    assert rows[claimed[0].id] == ("failed", "unknown", "dead")
    assert rows[claimed[1].id] == ("claimed", None, "alive")


def test_no_second_reminder_shortly_after_one_was_sent(db: Database) -> None:
    trajectory_id, _ = setup(db, members=(ANNE,))
    db.run_sync(reminders.plan_session, trajectory_id, SESSION, NOW)
    manual = db.run_sync(reminders.create_manual, trajectory_id, SESSION - timedelta(hours=73), "a")
    assert db.run_sync(reminders.prepare, manual[0].id, "a", SESSION - timedelta(hours=73)).action == "send"
    db.run_sync(reminders.finish, manual[0].id, "a", "sent", SESSION - timedelta(hours=73))
    due = SESSION - timedelta(hours=72)
    (job,) = db.run_sync(reminders.claim_due, due, "a")
    assert db.run_sync(reminders.prepare, job.id, "a", due).reason == "recent"


def test_opening_the_planned_session_stops_its_reminders(db: Database) -> None:
    from storage import synthesis
    from storage.models import utcnow

    trajectory_id, _ = setup(db, members=(ANNE,))
    soon = utcnow() + timedelta(hours=2)
    db.run_sync(reminders.plan_session, trajectory_id, soon, utcnow() - timedelta(days=5))
    opened = db.run_sync(synthesis.open_meeting, trajectory_id, None)
    meetings = db.run_sync(lambda s: s.scalars(select(Meeting)).all())
    assert len(meetings) == 1 and opened.id == meetings[0].id and meetings[0].opened_at is not None
    jobs = db.run_sync(reminders.claim_due, utcnow(), "a")
    assert jobs and {db.run_sync(reminders.prepare, j.id, "a", utcnow()).reason for j in jobs} == {"session_started"}


def test_instances_claiming_at_once_on_postgresql_take_each_row_once(postgres_url: str) -> None:
    from tests.conftest import _empty_postgres

    _empty_postgres(postgres_url)
    setup_db = Database(postgres_url)
    members = tuple(TelegramUser(3000 + i, f"Lid {i}") for i in range(40))
    trajectory_id, _ = setup(setup_db, members=members)
    setup_db.run_sync(reminders.plan_session, trajectory_id, SESSION, NOW)
    setup_db.dispose()
    due = SESSION - timedelta(hours=24)  # both moments due: 80 rows
    barrier = threading.Barrier(4)
    taken: dict[str, list[int]] = {}

    def claim_slowly(session, name: str):  # type: ignore[no-untyped-def]
        batch = reminders.claim_due(session, due, name, 7)
        time.sleep(0.05)  # hold the row locks while the others try
        return batch

    def instance(name: str) -> None:
        database = Database(postgres_url, pool_size=1)
        got: list[int] = []
        barrier.wait()
        while batch := database.run_sync(claim_slowly, name):
            got.extend(job.id for job in batch)
        taken[name] = got
        database.dispose()

    threads = [threading.Thread(target=instance, args=(f"i{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    claimed = [row_id for ids in taken.values() for row_id in ids]
    assert len(claimed) == 80 and len(set(claimed)) == 80
    assert sum(1 for ids in taken.values() if ids) >= 2, taken  # they really competed


@pytest.mark.parametrize("text, hours", [("72,24", (72, 24)), ("24,72,24", (72, 24)), ("", ()), (None, ())])
def test_parse_hours(text: str | None, hours: tuple[int, ...]) -> None:
    assert reminders.parse_hours(text) == hours
