"""``storage.prepared.Prepared``: the same rows and errors as SQLAlchemy's own execution, in the
unit's transaction, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.ballots import _DELIVERY
from storage.db import Database
from storage.models import BallotDelivery, Person, Trajectory, VotingRound
from storage.prepared import Prepared

_ADD_PERSON = Prepared(
    insert(Person).values(
        telegram_id=bindparam("telegram_id"), first_name=bindparam("name"), reachable=True, created_at=bindparam("at")
    )
)
_UNREACHABLE = Prepared(update(Person).where(Person.telegram_id == bindparam("telegram_id")).values(reachable=False))
NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
_PEOPLE = Prepared(select(Person.telegram_id, Person.reachable).order_by(Person.telegram_id))


def _round_with_a_delivery(session: Session) -> tuple[int, int]:
    trajectory = Trajectory(chat_id=-100, title="Kopgroep", language="nl", timezone="Europe/Brussels", join_token="t0k3n")
    person = Person(telegram_id=501, first_name="Anne", reachable=True, language="en")
    session.add_all([trajectory, person])
    session.flush()
    voting_round = VotingRound(
        trajectory_id=trajectory.id, number=1, rule_key="top", sought=3, quorum_pct=60, members=4,
        close_when_all_voted=True, deadline=datetime(2026, 12, 3, 17, 30, tzinfo=UTC), w=0.25,
    )
    session.add(voting_round)
    session.flush()
    session.add(BallotDelivery(round_id=voting_round.id, person_id=person.id, message_id=77, submitted=False))
    return voting_round.id, person.telegram_id


async def test_rows_are_what_sqlalchemy_gives(db: Database) -> None:
    """Booleans (0/1 in SQLite), a time-zone-aware datetime, a float, NULLs, labels."""
    round_id, telegram_id = await db.run(_round_with_a_delivery)

    def both(connection: Connection) -> tuple[object, object]:
        ours = _DELIVERY.first(connection, round_id=round_id, telegram_id=telegram_id)
        theirs = connection.execute(_DELIVERY.statement, {"round_id": round_id, "telegram_id": telegram_id}).one()
        return ours, theirs

    ours, theirs = await db.run_short(both)
    assert ours is not None
    assert tuple(ours) == tuple(theirs)
    assert ours._asdict() == dict(theirs._mapping)
    assert ours.close_when_all_voted is True and ours.delivery_submitted is False
    assert ours.deadline == datetime(2026, 12, 3, 17, 30, tzinfo=UTC) and ours.w == 0.25
    assert ours.closed_at is None and ours.person_language == "en"
    assert await db.run_short(lambda c: _DELIVERY.first(c, round_id=round_id, telegram_id=999)) is None


async def test_writes_belong_to_the_units_transaction(db: Database) -> None:
    def add_two_then_fail(connection: Connection) -> None:
        _ADD_PERSON.run(connection, telegram_id=1, name="Ann", at=NOW)
        _ADD_PERSON.run(connection, telegram_id=2, name="Bo", at=NOW)
        raise RuntimeError("half way")

    with pytest.raises(RuntimeError):
        await db.run_short(add_two_then_fail)
    assert await db.run_short(_PEOPLE.rows) == []
    await db.run_short(lambda c: _ADD_PERSON.run(c, telegram_id=3, name="Cas", at=NOW))
    assert await db.run_short(_PEOPLE.rows) == [(3, True)]


async def test_values_written_into_the_statement_are_sent(db: Database) -> None:
    """``.values(reachable=False)`` has no parameter of the caller's: its value must still go."""
    await db.run(lambda s: s.add(Person(telegram_id=4, first_name="Dirk", reachable=True)))
    changed = await db.run_short(lambda c: _UNREACHABLE.run(c, telegram_id=4))
    assert changed == 1
    assert await db.run_short(_PEOPLE.rows) == [(4, False)]


async def test_a_driver_error_is_sqlalchemys(db: Database) -> None:
    await db.run_short(lambda c: _ADD_PERSON.run(c, telegram_id=5, name="Els", at=NOW))
    with pytest.raises(IntegrityError):  # telegram_id is unique
        await db.run_short(lambda c: _ADD_PERSON.run(c, telegram_id=5, name="Els again", at=NOW))
    assert await db.run_short(_PEOPLE.rows) == [(5, True)]


async def test_an_insert_that_needs_python_defaults_is_refused_before_it_runs(db: Database) -> None:
    """SQLAlchemy fills ``created_at`` (and ``reachable``) while it executes; Prepared would send
    nothing for them, so it says so instead."""
    bare = Prepared(insert(Person).values(telegram_id=bindparam("telegram_id"), first_name=bindparam("name")))
    with pytest.raises(TypeError, match="reachable, created_at"):
        await db.run_short(lambda c: bare.run(c, telegram_id=6, name="Fien"))
    assert await db.run_short(_PEOPLE.rows) == []
