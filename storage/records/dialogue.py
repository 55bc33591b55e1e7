"""Records of the dialogue: questions, runs, digests and participation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.records.people import PersonRecord, TrajectoryRecord


@dataclass(frozen=True)
class QuestionRecord:
    """A reflective question as the group sees it now: ``number`` is its place in the list."""

    id: int
    number: int
    text: str


@dataclass(frozen=True)
class DialogueRecord:
    id: int
    trajectory_id: int
    mode: str  # open | anonymous
    question_id: int | None
    question_message_id: int | None
    started_at: datetime
    ended_at: datetime | None

    @property
    def anonymous(self) -> bool:
        return self.mode == "anonymous"

    @property
    def running(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class DialogueStatus:
    """A dialogue and the question on the table (number ``number`` of ``total``)."""

    dialogue: DialogueRecord
    question: QuestionRecord | None
    total: int


@dataclass(frozen=True)
class QuestionList:
    """The group's questions after a look or a change; ``problem`` says why nothing changed."""

    questions: tuple[QuestionRecord, ...]
    current_id: int | None = None  # the question on the table, while a dialogue runs
    problem: str | None = None  # unknown_number | bad_position | running | too_many
    number: int | None = None  # the question the change was about, at its new place


@dataclass(frozen=True)
class DigestAnswer:
    author: str | None  # None for an anonymous answer
    text: str


@dataclass(frozen=True)
class DigestSection:
    number: int
    question: str
    answers: tuple[DigestAnswer, ...]


@dataclass(frozen=True)
class DialogueDigest:
    """Every question that was put on the table, with its answers: for the group and the report."""

    dialogue: DialogueRecord
    sections: tuple[DigestSection, ...]

    @property
    def answers(self) -> int:
        return sum(len(section.answers) for section in self.sections)


@dataclass(frozen=True)
class DialogueStep:
    """What /dialoog, /volgende or /dialoog stop did."""

    outcome: str  # started | running | no_questions | not_running | next | ended
    status: DialogueStatus | None = None
    previous: DigestSection | None = None  # anonymous answers on the question just closed
    digest: DialogueDigest | None = None


@dataclass(frozen=True)
class AnswerOutcome:
    """What became of a member's message during a dialogue."""

    outcome: str  # noted | invalid | not_open | open_mode | anonymous_mode | choose
    trajectory: TrajectoryRecord | None = None
    number: int | None = None
    choices: tuple[TrajectoryRecord, ...] = ()


@dataclass(frozen=True)
class ParticipationRow:
    person: PersonRecord
    role: str
    status: str
    count: int


@dataclass(frozen=True)
class Participation:
    """Contributions per member in the running dialogue: for the moderator's eyes only."""

    trajectory: TrajectoryRecord
    status: DialogueStatus
    rows: tuple[ParticipationRow, ...]

    @property
    def quiet(self) -> tuple[ParticipationRow, ...]:
        """Members (not moderators) with the fewest contributions: none when all said as much,
        unless that is nothing at all."""
        members = [row for row in self.rows if row.role != "moderator"]
        if not members:
            return ()
        fewest = min(row.count for row in members)
        most = max(row.count for row in members)
        if fewest == most and fewest > 0:
            return ()
        return tuple(row for row in members if row.count == fewest)
