"""Records of the goal follow-up (storage/followup.py, storage/followup_progress.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from storage.records.people import TrajectoryRecord


@dataclass(frozen=True)
class ValueReport:
    reported_at: datetime
    value: float
    changed: bool  # False: "nothing changed"
    note: str | None


@dataclass(frozen=True)
class FollowedGoal:
    """An approved goal under follow-up: its numbers, who reports, what was reported, where it stands."""

    goal_id: int
    trajectory_id: int
    number: int
    theme_position: int
    theme_name: str
    specific: str | None
    indicator: str | None
    baseline: str | None
    target: str | None
    deadline: str | None
    unit: str | None
    start_value: float | None
    target_value: float | None
    started_on: date
    deadline_on: date | None
    person_id: int | None
    owner_name: str | None
    done: bool
    reports: tuple[ValueReport, ...]
    status: str  # method/followup.py: done | on_track | behind | no_report | unknown

    @property
    def last(self) -> ValueReport | None:
        return self.reports[-1] if self.reports else None


@dataclass(frozen=True)
class PlanRecord:
    trajectory_id: int
    cadence: str
    started_at: datetime
    next_round: datetime | None
    goals: int


@dataclass(frozen=True)
class AskJob:
    id: int
    trajectory_id: int
    round_id: int
    goal_id: int
    person_id: int
    kind: str  # ask | reminder


@dataclass(frozen=True)
class AskDecision:
    """At send time: send (with what to write), drop (no longer useful), unreachable or skip."""

    action: str
    reason: str | None = None
    telegram_id: int | None = None
    name: str = ""
    language: str = "nl"
    goal: FollowedGoal | None = None
    trajectory: TrajectoryRecord | None = None
    round_number: int = 0
    round_kind: str = "regular"


@dataclass(frozen=True)
class RoundClosed:
    """A round just closed: what the digest says and whom the moderators hear about."""

    round_id: int
    trajectory: TrajectoryRecord
    number: int
    kind: str
    goals: tuple[FollowedGoal, ...]  # the goals asked in this round, as they stand now
    answered: tuple[int, ...]  # goal ids with a report in this round
    missing: tuple[str, ...]  # names of owners who did not answer


@dataclass(frozen=True)
class ReportOutcome:
    """What recording a value did: ``ok`` or why not (not_owner, not_followed, done)."""

    status: str
    goal: FollowedGoal | None = None
    next_goal_id: int | None = None  # another goal this person still has to report on
    next_round_id: int | None = None
