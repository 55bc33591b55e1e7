"""The outbox: messages the bot owes someone, queued in the transaction that causes them.

A row is deleted once Telegram took the message, or once it is given up (then recorded in
``undelivered``, without its text). Messages to one chat leave in the order they were queued:
only a chat's oldest row (its head) is ever handed to the sender (bot/outbox.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage import undelivered
from storage.models import OutboxMessage, utcnow


@dataclass(frozen=True)
class OutboxRecord:
    """One queued message, as the sender reads it."""

    id: int
    lane: int
    chat_id: int
    thread_id: int | None
    kind: str
    trajectory_id: int | None
    round_id: int | None
    person_id: int | None
    text: str | None
    markup: dict | None
    attempts: int


def add(
    session: Session,
    chat_id: int,
    kind: str,
    *,
    text: str | None = None,
    markup: dict | None = None,
    trajectory_id: int | None = None,
    round_id: int | None = None,
    person_id: int | None = None,
    thread_id: int | None = None,
) -> None:
    """Queue one message; it goes when the surrounding transaction commits."""
    session.add(
        OutboxMessage(
            lane=trajectory_id if trajectory_id is not None else chat_id,
            chat_id=chat_id,
            thread_id=thread_id,
            kind=kind,
            trajectory_id=trajectory_id,
            round_id=round_id,
            person_id=person_id,
            text=text,
            markup=json.dumps(markup) if markup is not None else None,
            attempts=0,
            due_at=utcnow(),
        )
    )
    session.flush()  # the id orders the chat's messages


def heads(session: Session, now: datetime) -> list[OutboxRecord]:
    """Each chat's oldest queued message, when it is due (a chat waiting out a 429 or a backoff
    waits as a whole, so its messages stay in order), oldest first. Plain rows, not entities:
    with 300 groups' ballots queued this is thousands of rows a look."""
    first = select(func.min(OutboxMessage.id)).group_by(OutboxMessage.chat_id).scalar_subquery()
    table = OutboxMessage.__table__
    rows = session.execute(
        select(*table.c).where(table.c.id.in_(first), table.c.due_at <= now).order_by(table.c.id)
    ).all()
    return [
        OutboxRecord(
            id=row.id,
            lane=row.lane,
            chat_id=row.chat_id,
            thread_id=row.thread_id,
            kind=row.kind,
            trajectory_id=row.trajectory_id,
            round_id=row.round_id,
            person_id=row.person_id,
            text=row.text,
            markup=json.loads(row.markup) if row.markup else None,
            attempts=row.attempts,
        )
        for row in rows
    ]


def next_due(session: Session) -> datetime | None:
    """When the earliest queued message is due (None: nothing queued)."""
    return session.scalar(select(func.min(OutboxMessage.due_at)))


def done(session: Session, outbox_id: int) -> None:
    """The message went (or is no longer owed): forget it."""
    session.execute(delete(OutboxMessage).where(OutboxMessage.id == outbox_id))


def try_later(session: Session, outbox_id: int, chat_id: int, due_at: datetime, *, attempt: bool) -> None:
    """Hold the chat until ``due_at`` (its later messages wait too); ``attempt`` counts a failed try."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.chat_id == chat_id, OutboxMessage.due_at < due_at)
        .values(due_at=due_at)
    )
    if attempt:
        session.execute(
            update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(attempts=OutboxMessage.attempts + 1)
        )


def give_up(session: Session, row: OutboxRecord, reason: str, *, record: bool) -> None:
    """The message cannot be delivered: forget it and, when it counts, remember who missed what
    (no text), for the moderator's note."""
    done(session, row.id)
    if record:
        undelivered.record(
            session, row.chat_id, row.kind, reason, trajectory_id=row.trajectory_id, person_id=row.person_id
        )


def pending(session: Session, *, trajectory_id: int | None = None, exclude: tuple[str, ...] = ()) -> int:
    """How many messages are still queued (for a trajectory; but for some kinds)."""
    query = select(func.count()).select_from(OutboxMessage)
    if trajectory_id is not None:
        query = query.where(OutboxMessage.trajectory_id == trajectory_id)
    if exclude:
        query = query.where(OutboxMessage.kind.not_in(exclude))
    return session.scalar(query) or 0


def queued_ballot(session: Session, round_id: int, person_id: int) -> bool:
    """A ballot for this member in this round is queued already (not sent yet)."""
    found = session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.kind == "ballot", OutboxMessage.round_id == round_id, OutboxMessage.person_id == person_id
        )
    )
    return found is not None
