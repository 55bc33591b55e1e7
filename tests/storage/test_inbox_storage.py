"""The webhook inbox and deadline claims on SQLite and PostgreSQL: a retried push is stored once,
a lane gives its updates oldest first, done rows are pruned after a day; a deadline is claimed
once, and a dead instance's claim is taken over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from storage import deadlines, inbox, trajectories
from storage.db import Database
from storage.models import InboundUpdate, VotingRound
from storage.records import TelegramUser

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_a_retried_push_is_stored_once(db: Database) -> None:
    assert db.run_sync(inbox.store, 7, -100, '{"update_id": 7}', NOW) is True
    assert db.run_sync(inbox.store, 7, -100, '{"update_id": 7}', NOW) is False
    assert db.run_sync(inbox.counts) == (1, 0)


def test_a_lane_gives_its_updates_oldest_first_and_lanes_in_waiting_order(db: Database) -> None:
    for update_id, lane in ((3, -100), (1, -100), (4, 55), (2, -100), (5, 66)):
        db.run_sync(inbox.store, update_id, lane, "{}", NOW)
    assert db.run_sync(inbox.pending_lanes) == [-100, 55, 66]
    taken = []
    while (item := db.run_sync(inbox.take_next, -100, "a", NOW)) is not None:
        taken.append(item.update_id)
        db.run_sync(inbox.finish, item.update_id, NOW)
    assert taken == [1, 2, 3]
    assert db.run_sync(inbox.pending_lanes) == [55, 66]
    assert db.run_sync(inbox.counts) == (2, 3)


def test_an_update_not_finished_is_taken_again_with_its_tries_counted(db: Database) -> None:
    db.run_sync(inbox.store, 9, 5, "{}", NOW)
    first = db.run_sync(inbox.take_next, 5, "dead", NOW)
    again = db.run_sync(inbox.take_next, 5, "alive", NOW + timedelta(seconds=1))
    assert (first.update_id, first.attempts) == (9, 1) and (again.update_id, again.attempts) == (9, 2)
    db.run_sync(inbox.finish, 9, NOW, outcome="gave_up")
    db.run_sync(inbox.finish, 9, NOW)  # a late second finish changes nothing
    with db.sessions() as session:
        row = session.get(InboundUpdate, 9)
        assert (row.claimed_by, row.outcome) == ("alive", "gave_up")


def test_done_updates_are_pruned_after_a_day_waiting_ones_never(db: Database) -> None:
    db.run_sync(inbox.store, 1, 5, "{}", NOW - timedelta(hours=30))
    db.run_sync(inbox.store, 2, 5, "{}", NOW - timedelta(hours=30))
    db.run_sync(inbox.store, 3, 5, "{}", NOW - timedelta(hours=1))
    db.run_sync(inbox.finish, 1, NOW)
    db.run_sync(inbox.finish, 3, NOW)
    assert db.run_sync(inbox.prune, NOW) == 1
    assert db.run_sync(inbox.counts) == (1, 1)


def _round_with_deadline(db: Database, deadline: datetime) -> int:
    trajectory, _ = db.run_sync(
        trajectories.register_group,
        -7001,
        "Kopgroep",
        TelegramUser(1001, "Anne"),
        language="nl",
        timezone="Europe/Brussels",
    )

    def add(session) -> int:  # type: ignore[no-untyped-def]
        row = VotingRound(
            trajectory_id=trajectory.id,
            number=1,
            status="open",
            kind="round",
            rule_key="default",
            sought=3,
            quorum_pct=50,
            members=3,
            deadline=deadline,
        )
        session.add(row)
        session.flush()
        return row.id

    return db.run_sync(add)


def test_a_deadline_is_claimed_once_and_a_dead_claim_taken_over(db: Database) -> None:
    deadline = NOW - timedelta(minutes=1)
    round_id = _round_with_deadline(db, deadline)
    assert db.run_sync(deadlines.due, NOW) == [(round_id, deadline)]
    assert db.run_sync(deadlines.claim, round_id, deadline, "a", NOW) is True
    assert db.run_sync(deadlines.claim, round_id, deadline, "b", NOW) is False
    assert db.run_sync(deadlines.due, NOW) == []
    # "a" died before finishing: after the timeout the claim is free again, once.
    later = NOW + deadlines.CLAIM_TIMEOUT + timedelta(seconds=1)
    assert db.run_sync(deadlines.due, later) == [(round_id, deadline)]
    assert db.run_sync(deadlines.claim, round_id, deadline, "b", later) is True
    assert db.run_sync(deadlines.claim, round_id, deadline, "c", later) is False
    db.run_sync(deadlines.finish, round_id, deadline, later)
    much_later = later + timedelta(hours=1)
    assert db.run_sync(deadlines.due, much_later) == []
    assert db.run_sync(deadlines.claim, round_id, deadline, "c", much_later) is False
    # A moved deadline is a new one.
    moved = NOW + timedelta(days=1)
    with db.sessions.begin() as session:
        session.execute(update(VotingRound).where(VotingRound.id == round_id).values(deadline=moved))
    assert db.run_sync(deadlines.due, much_later) == []
    assert db.run_sync(deadlines.due, moved + timedelta(seconds=1)) == [(round_id, moved)]
