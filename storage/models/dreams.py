"""Tables of dream images, their processing and reminders."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow


class DreamCollection(Base):
    """The collection of dream images of a trajectory, started with /droombeelden."""

    __tablename__ = "dream_collection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Hours before the next session at which members who are not done get a reminder.
    reminder_hours: Mapped[str] = mapped_column(String(64), default="72,24", server_default="72,24")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DreamImage(Base):
    """One dream image of a member for a chosen theme, and what the moderator made of it."""

    __tablename__ = "dream_image"
    __table_args__ = (UniqueConstraint("trajectory_id", "number", name="uq_dream_image_trajectory_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    # Emptied when the person is forgotten; the dream image stays, unlinked.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # the moderator's handle: 1, 2, 3 ... per trajectory
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The moderator's processing: a rephrasing, a duplicate merged into another, a sub-item of
    # another (grouping), or left out of the summary.
    processed_text: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("dream_image.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("dream_image.id", ondelete="SET NULL"))
    removed: Mapped[bool] = mapped_column(default=False)
    published: Mapped[bool] = mapped_column(default=False)


class DreamDone(Base):
    """A member marked a theme as done (nothing more to add)."""

    __tablename__ = "dream_done"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True)
    done_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DreamProposal(Base):
    """A likely duplicate the bot proposed (first and second in id order) and the moderator's answer."""

    __tablename__ = "dream_proposal"
    __table_args__ = (UniqueConstraint("first_id", "second_id", name="uq_dream_proposal_first_second"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    first_id: Mapped[int] = mapped_column(ForeignKey("dream_image.id", ondelete="CASCADE"))
    second_id: Mapped[int] = mapped_column(ForeignKey("dream_image.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column()
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | accepted | rejected
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Reminder(Base):
    """One reminder to one member: pending, claimed by an instance, sending, then sent,
    dropped (no longer useful) or failed (Telegram refused, or the outcome is unknown)."""

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("meeting_id", "person_id", "kind", "due_at", name="uq_reminder_meeting_person_kind_due"),
        Index("ix_reminder_state_due_at", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    # The session it prepares; empty for a reminder the moderator sent with no session planned.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # auto (hours before the session) | manual (/herinner)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(32))  # why dropped or failed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
