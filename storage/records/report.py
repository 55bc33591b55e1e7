"""Records of the council report's data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.records.dialogue import DialogueDigest
    from storage.records.dreams import SummaryTheme
    from storage.records.followup import FollowedGoal
    from storage.records.sessions import DecisionRecord
    from storage.records.voting import ParkedTheme


@dataclass(frozen=True)
class ReportTheme:
    position: int
    name: str
    description: str | None
    status: str  # candidate | chosen | parked
    sdgs: tuple[int, ...]
    maturity: float | None
    parent_position: int | None  # a sub-theme's parent


@dataclass(frozen=True)
class ReportRound:
    """A closed voting round: its figures per theme (frozen at close), never per person."""

    number: int
    kind: str  # round | tiebreak
    members: int
    submitted: int
    quorum_needed: int
    forced: bool
    w: float | None
    tally: object  # method.voting.RoundTally, in rank order
    names: dict[int, str]  # theme id -> name
    positions: dict[int, int]  # theme id -> number
    reached: bool
    chosen: tuple[int, ...]  # theme ids the round proposed
    highlighted: tuple[int, ...]  # chosen, or still in play after this round
    alpha: float | None = None  # Krippendorff's alpha (ordinal)
    sought: int = 3
    rule_key: str = "default"


@dataclass(frozen=True)
class ReportGoal:
    number: int
    theme_position: int
    theme_name: str
    status: str  # proposed | approved
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


@dataclass(frozen=True)
class ReportMembers:
    joined: int
    moderators: int
    left: int
    names: tuple[str, ...] | None  # only when the moderator chose a report with names


@dataclass(frozen=True)
class ReportEvaluation:
    """The closing reflection: anonymous answers per question, sorted by text."""

    started: bool
    closed: bool
    respondents: int  # members who finished
    answers: dict[str, tuple[str, ...]]  # continuity | view | maturity -> texts


@dataclass(frozen=True)
class ReportData:
    """Everything the report for the council shows, read in one unit of work; no clock inside."""

    organisation: str | None
    title: str
    language: str
    timezone: str
    on: date  # the report's date, given by the caller
    with_names: bool
    members: ReportMembers
    themes: tuple[ReportTheme, ...]
    rounds: tuple[ReportRound, ...]
    parked: tuple[ParkedTheme, ...]
    dreams_published: bool | None  # None: no collection started
    dreams: tuple[SummaryTheme, ...]
    goals: tuple[ReportGoal, ...]
    digests: tuple[DialogueDigest, ...]
    decisions: tuple[DecisionRecord, ...]
    evaluation: ReportEvaluation | None
    # The goals followed up after the decision, when there are reports (owners named only with names).
    followup: tuple[FollowedGoal, ...] = ()

    @property
    def chosen(self) -> tuple[ReportTheme, ...]:
        return tuple(theme for theme in self.themes if theme.status == "chosen")
