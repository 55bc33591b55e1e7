"""Records of candidate themes, the scan's findings and the glossary."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScanFinding:
    """What the imported MVO-scan says about one theme."""

    name: str
    maturity: float | None
    strengths: str | None
    weaknesses: str | None


@dataclass(frozen=True)
class GlossaryTermRecord:
    id: int
    trajectory_id: int
    key: str
    word: str
    explanation: str


@dataclass(frozen=True)
class ThemeRecord:
    """A candidate theme as the lists and commands show it."""

    id: int
    position: int
    name: str
    description: str | None
    parent_id: int | None
    status: str
    source: str
    maturity: float | None
    strengths: str | None
    weaknesses: str | None
    sdgs: tuple[int, ...]


@dataclass(frozen=True)
class ThemeDetail:
    theme: ThemeRecord
    parent: ThemeRecord | None
    children: tuple[ThemeRecord, ...]
    practices: tuple[str, ...]
