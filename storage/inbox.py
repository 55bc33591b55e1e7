"""The webhook inbox: updates stored before they are acknowledged, processed once per lane in order.

The webhook endpoint of any instance stores an update (:func:`store`; a retried push has the same
update_id and is stored once) and answers Telegram. Workers (bot/inbox.py) take the oldest
unprocessed update of a lane (its chat, else its user) that no other instance holds, process it,
and mark it done (:func:`finish`). Holding a lane is a PostgreSQL advisory lock, not a column, so
an instance that dies gives its lanes up with its connection; ``claimed_by``/``claimed_at`` and
``attempts`` record who tried last and how often, so an update that keeps failing is given up.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.models import InboundUpdate
from storage.records import InboxItem

# Telegram keeps an unacknowledged update for at most 24 hours: after that no retry can come, so
# a done row is no longer needed for the dedupe.
KEEP_DONE = timedelta(hours=24)


def store(session: Session, update_id: int, lane: int, payload: str, now: datetime) -> bool:
    """Keep one update; False when it was there already (Telegram retried a push)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stored = session.scalar(
        insert(InboundUpdate)
        .values(update_id=update_id, lane=lane, payload=payload, received_at=now, attempts=0)
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(InboundUpdate.update_id)
    )
    return stored is not None


def pending_lanes(session: Session, limit: int = 50) -> list[int]:
    """Lanes with unprocessed updates, the one waiting longest first."""
    oldest = func.min(InboundUpdate.update_id)
    return list(
        session.scalars(
            select(InboundUpdate.lane)
            .where(InboundUpdate.done_at.is_(None))
            .group_by(InboundUpdate.lane)
            .order_by(oldest)
            .limit(limit)
        )
    )


def take_next(session: Session, lane: int, instance_id: str, now: datetime) -> InboxItem | None:
    """The lane's oldest unprocessed update, marked as tried by this instance (the caller holds
    the lane, so nobody else takes it meanwhile)."""
    row = session.scalar(
        select(InboundUpdate)
        .where(InboundUpdate.lane == lane, InboundUpdate.done_at.is_(None))
        .order_by(InboundUpdate.update_id)
        .limit(1)
    )
    if row is None:
        return None
    row.claimed_by, row.claimed_at, row.attempts = instance_id, now, row.attempts + 1
    return InboxItem(update_id=row.update_id, lane=row.lane, payload=row.payload, attempts=row.attempts)


def finish(session: Session, update_id: int, now: datetime, *, outcome: str = "processed") -> None:
    """Mark an update done (``processed``, or ``gave_up`` after too many tries).

    A done update keeps only its id for the dedupe, processed or given up: the payload holds who
    pressed what (``vote:<round>:<theme>:<score>``) and what members typed, and that belongs in
    the domain tables (or nowhere), not in a log of updates.
    """
    row = session.get(InboundUpdate, update_id)
    if row is not None and row.done_at is None:
        row.done_at, row.outcome, row.payload = now, outcome, ""


def prune(session: Session, now: datetime) -> int:
    """Delete done updates Telegram can no longer retry; returns how many."""
    result = session.execute(
        delete(InboundUpdate).where(InboundUpdate.done_at.is_not(None), InboundUpdate.received_at < now - KEEP_DONE)
    )
    return int(result.rowcount or 0)


def counts(session: Session) -> tuple[int, int]:
    """(waiting, done) updates, for tests and the operator."""
    waiting = session.scalar(select(func.count()).where(InboundUpdate.done_at.is_(None))) or 0
    done = session.scalar(select(func.count()).where(InboundUpdate.done_at.is_not(None))) or 0
    return waiting, done
