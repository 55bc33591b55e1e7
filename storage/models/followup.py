"""Tables of the goals' follow-up after the report: plans, goals followed, rounds, questions to owners, reports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow


class FollowupPlan(Base):
    """The follow-up of a trajectory's approved goals: started once, its rhythm set by button."""

    __tablename__ = "followup_plan"

    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), primary_key=True)
    cadence: Mapped[str] = mapped_column(String(16), default="quarterly")  # monthly | quarterly
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FollowupGoal(Base):
    """Who reports on a goal (its author at first, handed on by button) and its deadline as a day."""

    __tablename__ = "followup_goal"

    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    deadline_on: Mapped[date | None] = mapped_column(Date)  # read from the goal's deadline text
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the target was reached


class FollowupRound(Base):
    """One moment the owners are asked: regular (the rhythm), at one goal's deadline, or now (the
    moderator's button).

    pending → open (the questions are rows) → closed (digest posted, moderators told), each step
    claimed by one instance."""

    __tablename__ = "followup_round"
    __table_args__ = (Index("ix_followup_round_state_due_at", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="regular")  # regular | deadline | now (asked by button)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"))  # a deadline round's goal
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | open | closed | dropped
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FollowupAsk(Base):
    """One question (or its one reminder) to a goal's owner in a round; like ``reminder``:
    pending → claimed → sending → sent | failed, or dropped (answered, goal done, handed on)."""

    __tablename__ = "followup_ask"
    __table_args__ = (
        UniqueConstraint("round_id", "goal_id", "person_id", "kind", name="uq_followup_ask_round_goal_person_kind"),
        Index("ix_followup_ask_state_due_at", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("followup_round.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # ask | reminder
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(32))


class FollowupReport(Base):
    """A value an owner reported for a goal, with one line on what happened."""

    __tablename__ = "followup_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("followup_round.id", ondelete="SET NULL"))
    # Unlinked by /vergeetmij; the value stays.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    value: Mapped[float] = mapped_column()
    changed: Mapped[bool] = mapped_column(default=True)  # False: "nothing changed"
    note: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
