"""Records of voting rounds, ballots and their results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class VotingSettings:
    sought: int
    rule_key: str
    quorum_pct: int
    close_when_all_voted: bool


@dataclass(frozen=True)
class RoundRecord:
    id: int
    trajectory_id: int
    number: int
    kind: str
    status: str
    rule_key: str
    sought: int
    places: int | None
    quorum_pct: int
    members: int
    close_when_all_voted: bool
    deadline: datetime | None
    progress_message_id: int | None
    forced: bool
    closed_by: str | None
    w: float | None
    outcome: dict | None
    alpha: float | None = None  # Krippendorff's alpha (ordinal), frozen at close


@dataclass(frozen=True)
class BallotTheme:
    id: int
    position: int
    name: str
    description: str | None
    sdgs: tuple[int, ...]


@dataclass(frozen=True)
class BallotView:
    """One member's own ballot, for their eyes only."""

    round: RoundRecord
    trajectory_title: str
    language: str
    themes: tuple[BallotTheme, ...]
    scores: dict[int, int]
    reasons: dict[int, str]
    submitted: bool
    page: int
    message_id: int | None


@dataclass(frozen=True)
class ScorePress:
    """What a score press did: its status, the ballot to redraw (with ok), the presser's language."""

    status: str
    view: BallotView | None
    language: str | None


@dataclass(frozen=True)
class CloseResult:
    """What closing (or re-reading) a round gives: figures per theme, never per person."""

    status: str  # closed | quorum | not_open
    round: RoundRecord | None
    submitted: int = 0
    needed: int = 0
    tally: object | None = None  # method.voting.RoundTally
    w: float | None = None
    change: object | None = None  # method.voting.RoundChange
    outcome: object | None = None  # method.voting.ConsensusOutcome
    names: dict[int, str] | None = None
    reasons: dict[int, list[str]] | None = None
    alpha: float | None = None  # Krippendorff's alpha (ordinal)
    stability: object | None = None  # method.voting.Stability against the previous regular round
    previous_number: int | None = None  # the round ``change`` compares with


@dataclass(frozen=True)
class RoundPlan:
    """What the next round would be, narrowed by the last round's outcome and today's themes."""

    kind: str  # round | tiebreak | decided (a tie that no longer needs a vote)
    theme_ids: tuple[int, ...]
    places: int | None = None  # tie-break: places left to fill
    secured: tuple[int, ...] = ()  # tie-break: chosen already
    chosen: tuple[int, ...] = ()  # decided: the proposal (secured, then the tied themes left)


@dataclass(frozen=True)
class ParkedTheme:
    position: int
    name: str
    last_round: int | None
    mean: float | None
    share_threes: float | None


@dataclass(frozen=True)
class ExportRows:
    ballots: list[tuple]
    figures: list[tuple]
