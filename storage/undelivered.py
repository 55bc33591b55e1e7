"""Messages Telegram would not take after retries: recorded, then reported to the moderators once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Person, Undelivered, utcnow
from storage.records import UndeliveredRecord, shorten_name


def record(
    session: Session,
    chat_id: int,
    kind: str,
    reason: str,
    *,
    trajectory_id: int | None = None,
    person_id: int | None = None,
) -> None:
    """Remember one message that could not be delivered (no text: only who, what kind and why)."""
    if person_id is None:
        person_id = session.scalar(select(Person.id).where(Person.telegram_id == chat_id))
    session.add(
        Undelivered(trajectory_id=trajectory_id, person_id=person_id, chat_id=chat_id, kind=kind, reason=reason)
    )


def take_unreported(session: Session, trajectory_id: int) -> list[UndeliveredRecord]:
    """The trajectory's undelivered messages nobody was told about yet, marked as told."""
    rows = session.execute(
        select(Undelivered, Person)
        .outerjoin(Person, Person.id == Undelivered.person_id)
        .where(Undelivered.trajectory_id == trajectory_id, Undelivered.reported_at.is_(None))
        .order_by(Undelivered.id)
        .with_for_update(of=Undelivered, skip_locked=True)
    ).all()
    moment = utcnow()
    found = []
    for row, person in rows:
        row.reported_at = moment
        name = shorten_name(" ".join(p for p in (person.first_name, person.last_name) if p)) if person else ""
        found.append(UndeliveredRecord(name, row.kind, row.reason, row.created_at))
    return found


def of_trajectory(session: Session, trajectory_id: int) -> list[tuple[int, str, str, bool]]:
    """(chat id, kind, reason, reported) of every undelivered message of a trajectory, oldest first."""
    rows = session.execute(
        select(Undelivered.chat_id, Undelivered.kind, Undelivered.reason, Undelivered.reported_at)
        .where(Undelivered.trajectory_id == trajectory_id)
        .order_by(Undelivered.id)
    ).all()
    return [(chat_id, kind, reason, reported is not None) for chat_id, kind, reason, reported in rows]
