"""The council's decision on the report (step 7): recorded by the moderator, kept in order."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import prompts
from storage.models import CouncilDecision, Person
from storage.records import DecisionRecord

OUTCOMES = ("approved", "rejected", "postponed")
PROMPT = "decision"  # the guided /beslissing waits for the date in the group (payload: the outcome)


def _record(row: CouncilDecision) -> DecisionRecord:
    return DecisionRecord(outcome=row.outcome, decided_on=row.decided_on, body=row.body, remarks=row.remarks)


def record(
    session: Session,
    trajectory_id: int,
    outcome: str,
    decided_on: date,
    remarks: str | None,
    *,
    telegram_id: int | None = None,
    body: str | None = None,
    chat_id: int | None = None,
) -> DecisionRecord:
    """Add a decision; earlier ones stay (a postponed decision is followed by the real one).
    With ``chat_id``, the guided question waiting there is closed in the same unit of work."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    person_id = (
        session.scalar(select(Person.id).where(Person.telegram_id == telegram_id)) if telegram_id is not None else None
    )
    row = CouncilDecision(
        trajectory_id=trajectory_id,
        outcome=outcome,
        decided_on=decided_on,
        body=body,
        remarks=remarks or None,
        recorded_by_id=person_id,
    )
    session.add(row)
    if chat_id is not None:
        prompts.close(session, chat_id, PROMPT)
    session.flush()
    return _record(row)


def decisions(session: Session, trajectory_id: int) -> list[DecisionRecord]:
    """Every decision of the trajectory, oldest first (by the council's date, then as recorded)."""
    rows = session.scalars(
        select(CouncilDecision)
        .where(CouncilDecision.trajectory_id == trajectory_id)
        .order_by(CouncilDecision.decided_on, CouncilDecision.id)
    )
    return [_record(row) for row in rows]


def latest(session: Session, trajectory_id: int) -> DecisionRecord | None:
    found = decisions(session, trajectory_id)
    return found[-1] if found else None
