"""Records of meetings, the synthesis and the council's decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from method.progress import Facts

if TYPE_CHECKING:
    from storage.records.themes import ScanFinding


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    trajectory_id: int
    starts_at: datetime | None
    synthesis_message_id: int | None


@dataclass(frozen=True)
class SynthesisData:
    facts: Facts
    notes: dict[str, str]
    candidate_names: tuple[str, ...]
    scan_findings: tuple[ScanFinding, ...]
    decision: DecisionRecord | None = None  # the council's latest (step 7)


@dataclass(frozen=True)
class DecisionRecord:
    """The council's (college's) answer to the report."""

    outcome: str  # approved | rejected | postponed
    decided_on: date
    body: str | None
    remarks: str | None
