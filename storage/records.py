"""Plain records that query functions return: safe to read after the session has closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.progress import Facts


@dataclass(frozen=True)
class TelegramUser:
    """The parts of a Telegram user the bot stores (built from ``telegram.User``)."""

    telegram_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True)
class TrajectoryRecord:
    id: int
    chat_id: int
    title: str
    organisation: str | None
    language: str
    timezone: str
    join_token: str
    phase: str
    active: bool


@dataclass(frozen=True)
class PersonRecord:
    id: int
    telegram_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language: str | None
    reachable: bool
    current_trajectory_id: int | None

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True)
class MemberRecord:
    """A person as a member of one trajectory."""

    person: PersonRecord
    role: str
    status: str
    joined_at: datetime | None

    @property
    def is_moderator(self) -> bool:
        return self.role == "moderator"


@dataclass(frozen=True)
class Actor:
    """Who sent an update, seen from one trajectory: the guards' answer."""

    trajectory: TrajectoryRecord | None
    person: PersonRecord | None
    role: str | None
    status: str | None

    @property
    def is_moderator(self) -> bool:
        return self.role == "moderator" and self.status != "left"

    @property
    def is_member(self) -> bool:
        return self.status == "joined"


@dataclass(frozen=True)
class PromptRecord:
    id: int
    trajectory_id: int
    chat_id: int
    kind: str
    person_id: int | None
    message_id: int | None
    payload: str | None


@dataclass(frozen=True)
class PrivateContext:
    """A person in private chat: their groups, and which one their answers go to."""

    person: PersonRecord
    memberships: tuple[tuple[TrajectoryRecord, str], ...]  # (trajectory, role), joined only
    current: TrajectoryRecord | None

    @property
    def needs_choice(self) -> bool:
        return self.current is None and len(self.memberships) > 1


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    trajectory_id: int
    starts_at: datetime | None
    synthesis_message_id: int | None


@dataclass(frozen=True)
class ScanFinding:
    """What the imported MVO-scan says about one theme."""

    name: str
    maturity: float | None
    strengths: str | None
    weaknesses: str | None


@dataclass(frozen=True)
class SynthesisData:
    facts: Facts
    notes: dict[str, str]
    candidate_names: tuple[str, ...]
    scan_findings: tuple[ScanFinding, ...]
