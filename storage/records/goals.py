"""Records of SMART goals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.records.people import TrajectoryRecord


@dataclass(frozen=True)
class GoalRecord:
    """A goal with its parts as written, the SMART check's codes, and who may see what of it."""

    id: int
    trajectory_id: int
    theme_id: int
    theme_name: str
    theme_position: int
    number: int
    author_id: int | None
    author_name: str | None
    status: str  # draft | proposed | approved | dropped
    specific: str | None
    indicator: str | None
    baseline: str | None
    target: str | None
    owner: str | None
    means: str | None
    deadline: str | None
    milestones: str | None
    flags: tuple[str, ...]
    kept_as_is: bool
    returned: bool = False  # a moderator sent it back to its author to rework

    @property
    def ready(self) -> bool:
        """Approved and nothing left the SMART check flags: only such a goal counts as ready."""
        return self.status == "approved" and not self.flags

    @property
    def parts(self) -> dict[str, str | None]:
        names = ("specific", "indicator", "baseline", "target", "owner", "means", "deadline", "milestones")
        return {name: getattr(self, name) for name in names}


@dataclass(frozen=True)
class GoalOutcome:
    """What happened to a goal: ``ok`` or why not (not_found, not_allowed, decided, incomplete ...)."""

    status: str
    goal: GoalRecord | None = None


@dataclass(frozen=True)
class GoalTheme:
    """A chosen theme in the goals overview: its processed dream images and its goals (no drafts)."""

    id: int
    position: int
    name: str
    dreams: tuple[str, ...]
    goals: tuple[GoalRecord, ...]


@dataclass(frozen=True)
class GoalOverview:
    trajectory: TrajectoryRecord
    themes: tuple[GoalTheme, ...]
