"""Rows that are sent once, whichever instance sends them: claimed with SKIP LOCKED.

Reminders (storage/reminders.py) and the goals' follow-up questions (storage/followup.py) are rows
first, with ``state`` (pending → claimed → sending → sent | failed), ``due_at``, ``claimed_at``
and ``claimed_by``. A tick takes what is due under ``SELECT ... FOR UPDATE SKIP LOCKED``, so two
instances never take the same row; a claim older than the timeout belongs to an instance that
died, and is taken over. A row left in ``sending`` that long may have gone out: it is not sent
again but recorded as failed with an unknown outcome (a member never gets it twice).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

CLAIM_TIMEOUT = timedelta(minutes=5)

Row = TypeVar("Row", bound=Any)


def claim_due(session: Session, model: type[Row], now: datetime, instance_id: str, limit: int) -> list[Row]:
    """Take up to ``limit`` due rows of ``model`` for this instance, in the caller's transaction."""
    stale = now - CLAIM_TIMEOUT
    session.execute(
        update(model)
        .where(model.state == "sending", model.claimed_at <= stale)
        .values(state="failed", outcome="unknown")
    )
    rows = session.scalars(
        select(model)
        .where(
            or_(
                and_(model.state == "pending", model.due_at <= now),
                and_(model.state == "claimed", model.claimed_at <= stale),
            )
        )
        .order_by(model.due_at, model.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.state, row.claimed_at, row.claimed_by = "claimed", now, instance_id
    return list(rows)


def finish(
    session: Session, model: type[Row], row_id: int, instance_id: str, state: str, now: datetime, outcome: str | None
) -> bool:
    """Record how sending a claimed row went: ``sent``, ``failed``, or ``pending`` again (a passing
    network error). False when this instance no longer holds it (another took the claim over)."""
    row = session.get(model, row_id)
    if row is None or row.claimed_by != instance_id or row.state != "sending":
        return False
    row.state, row.outcome = state, outcome
    if state == "sent":
        row.sent_at = now
    if state == "pending":
        row.claimed_at = row.claimed_by = None
    return True
