"""Leaving the Telegram group: what it changes in the records.

A person who leaves keeps their rows (the report can still name who took part) but is no longer
a member: status ``left``, role ``member`` (coming back makes them a member, not a moderator). In
an open round a ballot they had not submitted stops counting: their delivery row goes, and the
round's count of members (the quorum's denominator and the progress) drops by one. A ballot they
did submit still counts: it was cast while they were a member, and finding it to take it out
would mean linking a person to a ballot (docs/permissions.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import BallotDelivery, Membership, Person, Trajectory, VotingRound

MODERATOR, MEMBER, LEFT = "moderator", "member", "left"


@dataclass(frozen=True)
class Leaving:
    """What one person's leaving changed in one trajectory."""

    trajectory_id: int
    was_moderator: bool
    moderators_left: int  # moderators still in the group after this one left
    round_id: int | None  # the open round whose count of members dropped, if any


def leave(session: Session, trajectory_id: int, telegram_id: int) -> Leaving | None:
    """Record that ``telegram_id`` left the group of ``trajectory_id``; None when they were not in it."""
    membership = session.scalar(
        select(Membership)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.trajectory_id == trajectory_id, Person.telegram_id == telegram_id)
    )
    if membership is None or membership.status == LEFT:
        return None
    was_moderator = membership.role == MODERATOR
    membership.status, membership.role = LEFT, MEMBER
    round_id = _drop_unsubmitted(session, trajectory_id, membership.person_id)
    session.flush()
    moderators_left = session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.trajectory_id == trajectory_id, Membership.role == MODERATOR, Membership.status != LEFT)
    )
    return Leaving(trajectory_id, was_moderator, moderators_left or 0, round_id)


def leave_chat(session: Session, chat_id: int, telegram_id: int) -> Leaving | None:
    """``leave`` for every trajectory of a group chat (the chat's leave events know only the chat);
    what it changed in the newest one, the trajectory the group works in now."""
    ids = session.scalars(select(Trajectory.id).where(Trajectory.chat_id == chat_id).order_by(Trajectory.generation))
    changes = [leave(session, trajectory_id, telegram_id) for trajectory_id in ids]
    return changes[-1] if changes else None


def _drop_unsubmitted(session: Session, trajectory_id: int, person_id: int) -> int | None:
    """In the open round, a delivery not yet submitted goes, and the round counts one member fewer."""
    row = session.scalar(
        select(VotingRound)
        .where(VotingRound.trajectory_id == trajectory_id, VotingRound.status == "open")
        .with_for_update()
    )
    if row is None:
        return None
    delivery = session.get(BallotDelivery, (row.id, person_id))
    if delivery is None or delivery.submitted:
        return None
    session.delete(delivery)
    row.members = max(0, row.members - 1)
    return row.id


def chat_of(session: Session, trajectory_id: int) -> int | None:
    """The Telegram chat of a trajectory (it changes when a group becomes a supergroup)."""
    return session.scalar(select(Trajectory.chat_id).where(Trajectory.id == trajectory_id))


def chat_of_token(session: Session, token: str) -> tuple[int, str] | None:
    """(chat id, language) of the active group behind a "Doe mee" token."""
    row = session.execute(
        select(Trajectory.chat_id, Trajectory.language).where(
            Trajectory.join_token == token, Trajectory.active.is_(True)
        )
    ).first()
    return None if row is None else (row[0], row[1])
