"""Records of the closing evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.records.people import TrajectoryRecord


@dataclass(frozen=True)
class EvaluationRecord:
    id: int
    trajectory_id: int
    started_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class EvaluationStep:
    """Where one member stands in the evaluation, and the outcome of their last action.

    ``status``: ok | already (that question was handled before) | closed | not_member.
    """

    status: str
    evaluation: EvaluationRecord | None = None
    trajectory: TrajectoryRecord | None = None
    person_id: int | None = None
    language: str = "nl"
    handled: tuple[str, ...] = ()
    next_question: str | None = None
    message_id: int | None = None

    @property
    def done(self) -> bool:
        return self.status in ("ok", "already") and self.next_question is None


@dataclass(frozen=True)
class EvaluationRecipient:
    person_id: int
    telegram_id: int
    name: str
    reachable: bool


@dataclass(frozen=True)
class EvaluationProgress:
    """Counts for the moderator; names only of members the bot cannot reach or who did not join."""

    evaluation: EvaluationRecord | None
    members: int  # members who got (or will get) the questions
    done: int  # handled all three questions
    started: int  # handled one or two
    answers: dict[str, int]  # question key -> number of answers
    unreachable: tuple[str, ...]
    not_joined: tuple[str, ...]

    @property
    def all_done(self) -> bool:
        return self.members > 0 and self.done == self.members


@dataclass(frozen=True)
class EvaluationDigestQuestion:
    key: str  # continuity | view | maturity
    answers: tuple[str, ...]  # in digest order (method/evaluation/digest.py), never arrival order
    weak: bool  # 1 or 2 answers: the author may be recognisable


@dataclass(frozen=True)
class EvaluationDigest:
    """All answers per question, without any person: for the moderator and the report."""

    trajectory: TrajectoryRecord
    evaluation: EvaluationRecord
    members: int
    done: int
    questions: tuple[EvaluationDigestQuestion, ...]

    @property
    def answer_count(self) -> int:
        return sum(len(question.answers) for question in self.questions)
