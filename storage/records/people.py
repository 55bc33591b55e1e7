"""Records of people, memberships, who acts, and what the bot waits for from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


NAME_LIMIT = 64


def shorten_name(name: str, limit: int = NAME_LIMIT) -> str:
    """A name cut to ``limit`` characters with an ellipsis, so a long one cannot swamp a message."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class TelegramUser:
    """The parts of a Telegram user the bot stores (built from ``telegram.User``)."""

    telegram_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None

    @property
    def display_name(self) -> str:
        return shorten_name(" ".join(part for part in (self.first_name, self.last_name) if part))


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
    closed_at: datetime | None = None  # /afsluiten: from then on read-only


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
        return shorten_name(" ".join(part for part in (self.first_name, self.last_name) if part))


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
