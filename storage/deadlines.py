"""Voting deadlines handled once across instances.

Every instance keeps a JobQueue job for the deadlines it knows and looks at the table on a tick
for the ones it does not (a round opened on another instance, or one whose instance died). Before
acting, an instance claims (round, deadline) by inserting its row: the insert succeeds once. A
claim not finished within :data:`CLAIM_TIMEOUT` belongs to an instance that died and is taken
over; closing the round is safe to repeat (storage/voting.py locks the round row).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from storage.models import DeadlineRun, VotingRound

CLAIM_TIMEOUT = timedelta(minutes=5)


def claim(session: Session, round_id: int, deadline: datetime, instance_id: str, now: datetime) -> bool:
    """True when this instance is to handle the round's deadline (first, or taking over a dead claim)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    inserted = session.scalar(
        insert(DeadlineRun)
        .values(round_id=round_id, deadline=deadline, claimed_by=instance_id, claimed_at=now)
        .on_conflict_do_nothing(index_elements=["round_id", "deadline"])
        .returning(DeadlineRun.round_id)
    )
    if inserted is not None:
        return True
    row = session.scalar(
        select(DeadlineRun)
        .where(DeadlineRun.round_id == round_id, DeadlineRun.deadline == deadline)
        .with_for_update(skip_locked=True)
    )
    if row is None or row.done_at is not None or row.claimed_at > now - CLAIM_TIMEOUT:
        return False
    row.claimed_by, row.claimed_at = instance_id, now
    return True


def finish(session: Session, round_id: int, deadline: datetime, now: datetime) -> None:
    row = session.get(DeadlineRun, (round_id, deadline))
    if row is not None:
        row.done_at = now


def due(session: Session, now: datetime, limit: int = 20) -> list[tuple[int, datetime]]:
    """Open rounds whose deadline passed and that nobody handled or holds (a stale claim counts as none)."""
    rows = session.execute(
        select(VotingRound.id, VotingRound.deadline)
        .outerjoin(
            DeadlineRun,
            and_(DeadlineRun.round_id == VotingRound.id, DeadlineRun.deadline == VotingRound.deadline),
        )
        .where(
            VotingRound.status == "open",
            VotingRound.deadline.is_not(None),
            VotingRound.deadline <= now,
            or_(
                DeadlineRun.round_id.is_(None),
                and_(DeadlineRun.done_at.is_(None), DeadlineRun.claimed_at <= now - CLAIM_TIMEOUT),
            ),
        )
        .order_by(VotingRound.deadline)
        .limit(limit)
    )
    return [(round_id, deadline) for round_id, deadline in rows if deadline is not None]
