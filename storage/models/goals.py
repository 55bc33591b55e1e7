"""Tables of SMART goals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow


class Goal(Base):
    """A goal for a chosen theme, built one SMART letter at a time.

    The parts are free text as the author wrote them; ``flags`` holds the codes the SMART check
    raised (JSON list, e.g. ``["no_number", "vague_verb"]``), kept visible even when the author
    keeps the goal as it is (``kept_as_is``).
    """

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("trajectory_id", "number", name="uq_goal_trajectory_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # the group's handle: 1, 2, 3 ... per trajectory
    # Unlinked by /vergeetmij and the retention job; the goal itself stays.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    # draft (being written) | proposed (by a member, waiting) | approved | dropped
    status: Mapped[str] = mapped_column(String(16), default="draft")
    specific: Mapped[str | None] = mapped_column(Text)  # S: what exactly, for whom
    indicator: Mapped[str | None] = mapped_column(Text)  # M: what is measured
    baseline: Mapped[str | None] = mapped_column(Text)  # M: start value
    target: Mapped[str | None] = mapped_column(Text)  # M: target value
    owner: Mapped[str | None] = mapped_column(Text)  # A: who owns it, which service, support
    means: Mapped[str | None] = mapped_column(Text)  # R: means, people, budget
    deadline: Mapped[str | None] = mapped_column(Text)  # T: deadline as written
    milestones: Mapped[str | None] = mapped_column(Text)  # T: milestones
    flags: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    kept_as_is: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # approved or dropped
    # Set when a moderator sent the goal back to its author (a draft again, shown in /doelen).
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
