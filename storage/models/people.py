"""Tables of trajectories (one per group), people, memberships and open questions to a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow


class Trajectory(Base):
    """One steering group's trajectory: a Telegram group working through the method.

    A group may run several, one after the other (/nieuwtraject): ``generation`` counts them per
    chat, the highest is the group's current one, ``previous_id`` points at the one it follows."""

    __tablename__ = "trajectory"
    __table_args__ = (UniqueConstraint("chat_id", "generation", name="uq_trajectory_chat_id_generation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    generation: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("trajectory.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(255))
    organisation: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    join_token: Mapped[str] = mapped_column(String(64), unique=True)
    phase: Mapped[str] = mapped_column(String(32), default="setup")
    active: Mapped[bool] = mapped_column(default=True)
    # Voting settings, published before each round (method/voting/consensus.py has the rules).
    sought: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    rule_key: Mapped[str] = mapped_column(String(16), default="default", server_default="default")
    quorum_pct: Mapped[int] = mapped_column(Integer, default=67, server_default="67")
    close_when_all_voted: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the moderator closes the trajectory; the retention job counts from here.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set once the retention job removed its personal data (storage/privacy.py); claims the row.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Person(Base):
    """A Telegram user the bot knows of."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    first_name: Mapped[str] = mapped_column(String(255))
    last_name: Mapped[str | None] = mapped_column(String(255))
    username: Mapped[str | None] = mapped_column(String(64))
    # Language for private chat chosen by the person; empty means: follow their group.
    language: Mapped[str | None] = mapped_column(String(8))
    # Private chat opened (the bot may write to them) and not blocked since.
    reachable: Mapped[bool] = mapped_column(default=False)
    # The group a private answer belongs to when the person sits in several.
    current_trajectory_id: Mapped[int | None] = mapped_column(ForeignKey("trajectory.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set by /vergeetmij: the row stays as a tombstone (names blanked, telegram_id a unique
    # negative number) so its id, part of ballot pseudonyms, is never given to someone else.
    forgotten_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Membership(Base):
    """A person's place in one steering group."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("trajectory_id", "person_id", name="uq_membership_trajectory_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")  # moderator | member
    # seen: in the Telegram group, not yet joined through "Doe mee"; joined; left.
    status: Mapped[str] = mapped_column(String(16), default="seen")
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Prompt(Base):
    """A question the bot asked and still waits for: conversation state lives here, not in memory."""

    __tablename__ = "prompt"
    __table_args__ = (UniqueConstraint("chat_id", "kind", name="uq_prompt_chat_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    # Who may answer: a person, or any moderator of the trajectory when empty.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
