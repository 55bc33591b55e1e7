"""Steering groups (trajectories): registration, organisation name, language."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage import prompts
from storage.convert import trajectory_record
from storage.models import Prompt, Trajectory
from storage.people import (
    JOINED,
    LEFT,
    MODERATOR,
    SEEN,
    ensure_membership,
    moderator_ids,
    upsert_person,
)
from storage.records import TelegramUser, TrajectoryRecord


def current_of(chat_id: int):  # noqa: ANN201 - a SELECT
    """The group's current trajectory: the latest generation in that chat."""
    return select(Trajectory).where(Trajectory.chat_id == chat_id).order_by(Trajectory.generation.desc()).limit(1)


def new_join_token() -> str:
    """An unguessable deep-link payload (128 bits; Telegram allows up to 64 of A-Z a-z 0-9 _ -)."""
    return secrets.token_urlsafe(16)


def register_group(
    session: Session, chat_id: int, title: str, added_by: TelegramUser, *, language: str, timezone: str
) -> tuple[TrajectoryRecord, bool]:
    """Register the group the bot was added to; the person who added it becomes moderator.

    Returns (trajectory, created). When the bot is added again to a group it knew, the group
    keeps its data; the adder becomes moderator only when no moderator is left.
    """
    trajectory = session.scalar(current_of(chat_id))
    created = trajectory is None
    if trajectory is None:
        trajectory = Trajectory(
            chat_id=chat_id,
            title=title,
            language=language,
            timezone=timezone,
            join_token=new_join_token(),
            phase="setup",
            active=True,
        )
        session.add(trajectory)
        session.flush()
    else:
        trajectory.active = True
        trajectory.title = title
    person = upsert_person(session, added_by)
    membership = ensure_membership(session, trajectory.id, person)
    if membership.status == LEFT:
        membership.status = JOINED if membership.joined_at else SEEN
    if created or not moderator_ids(session, trajectory.id):
        membership.role = MODERATOR
    return trajectory_record(trajectory), created


def deactivate_group(session: Session, chat_id: int) -> None:
    """The bot left or was removed: keep the data, stop treating the group as active."""
    trajectory = session.scalar(current_of(chat_id))
    if trajectory is not None:
        trajectory.active = False


def by_chat(session: Session, chat_id: int) -> TrajectoryRecord | None:
    """The group's current trajectory (earlier ones of the same group are read by id)."""
    trajectory = session.scalar(current_of(chat_id))
    return trajectory and trajectory_record(trajectory)


def by_id(session: Session, trajectory_id: int) -> TrajectoryRecord | None:
    trajectory = session.get(Trajectory, trajectory_id)
    return trajectory and trajectory_record(trajectory)


def set_organisation(
    session: Session, trajectory_id: int, name: str, *, answered_prompt: str | None = None
) -> TrajectoryRecord:
    """Store the organisation's name; ``answered_prompt`` closes the question that asked for it."""
    trajectory = session.get_one(Trajectory, trajectory_id)
    trajectory.organisation = name
    if answered_prompt is not None:
        prompts.close(session, trajectory.chat_id, answered_prompt)
    return trajectory_record(trajectory)


def set_language(session: Session, trajectory_id: int, language: str) -> TrajectoryRecord:
    trajectory = session.get_one(Trajectory, trajectory_id)
    trajectory.language = language
    return trajectory_record(trajectory)


def move_chat(session: Session, old_chat_id: int, new_chat_id: int) -> TrajectoryRecord | None:
    """The group became a supergroup (a new chat id): the trajectory and its open questions follow.

    Telegram tells both chats (``migrate_to_chat_id`` in the old, ``migrate_from_chat_id`` in the
    new), so this runs twice; the second time finds nothing left to move. When the bot had already
    registered the new chat as a group of its own (an empty one), the older trajectory wins.
    """
    trajectory = session.scalar(current_of(old_chat_id))
    if trajectory is None:
        return None
    empty = session.scalar(current_of(new_chat_id))
    if empty is not None:
        session.delete(empty)
        session.flush()
    # Every trajectory of the group follows, the earlier ones too.
    session.execute(update(Trajectory).where(Trajectory.chat_id == old_chat_id).values(chat_id=new_chat_id))
    session.refresh(trajectory)
    session.execute(delete(Prompt).where(Prompt.chat_id == new_chat_id))
    session.execute(update(Prompt).where(Prompt.chat_id == old_chat_id).values(chat_id=new_chat_id))
    session.flush()
    return trajectory_record(trajectory)
