"""Records of dream images, their processing and the reminders before the next session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.records.people import TrajectoryRecord


@dataclass(frozen=True)
class DreamTheme:
    """A chosen theme as the dream-image template shows it."""

    id: int
    position: int
    name: str
    source_code: str | None  # an example theme's code (method/data/examples.yaml): its own example


@dataclass(frozen=True)
class DreamImageRecord:
    id: int
    trajectory_id: int
    theme_id: int
    person_id: int | None
    number: int
    text: str
    processed_text: str | None
    merged_into_id: int | None
    parent_id: int | None
    removed: bool
    published: bool
    author: str | None = None  # only in the moderator's view

    @property
    def shown(self) -> str:
        """The text as the summary will carry it: the moderator's rephrasing, else the member's."""
        return self.processed_text or self.text

    @property
    def active(self) -> bool:
        """Neither merged into another nor left out."""
        return self.merged_into_id is None and not self.removed


@dataclass(frozen=True)
class DreamCollectionRecord:
    id: int
    trajectory_id: int
    started_at: datetime
    reminder_hours: tuple[int, ...]
    published_at: datetime | None


@dataclass(frozen=True)
class NextSession:
    """The planned next session (a meeting row not opened yet)."""

    id: int
    trajectory_id: int
    starts_at: datetime
    ics_sequence: int
    ends_at: datetime | None = None


@dataclass(frozen=True)
class MemberDreams:
    """One member's own template: the chosen themes, their dream images, what they marked done."""

    trajectory: TrajectoryRecord
    person_id: int
    language: str
    themes: tuple[DreamTheme, ...]
    images: dict[int, tuple[DreamImageRecord, ...]]  # theme id -> the member's own, oldest first
    done: frozenset[int]  # theme ids
    collection: DreamCollectionRecord
    next_session: NextSession | None

    @property
    def missing(self) -> tuple[DreamTheme, ...]:
        return tuple(theme for theme in self.themes if theme.id not in self.done)

    @property
    def open(self) -> bool:
        return self.collection.published_at is None

    def theme(self, theme_id: int) -> DreamTheme | None:
        return next((theme for theme in self.themes if theme.id == theme_id), None)


@dataclass(frozen=True)
class DreamOutcome:
    """What a member's action did: ``status`` ok, or why not."""

    status: str  # ok | not_member | not_chosen | closed | not_found | duplicate | too_many
    image: DreamImageRecord | None = None
    count: int = 0  # the member's dream images for that theme afterwards


@dataclass(frozen=True)
class DreamRecipient:
    person_id: int
    telegram_id: int
    name: str
    reachable: bool


@dataclass(frozen=True)
class DreamProgress:
    """The group's progress: counts, and names only for who the bot cannot reach."""

    themes: tuple[DreamTheme, ...]
    members: int
    done: int  # members done with every chosen theme
    images: int
    per_theme: dict[int, int]  # theme id -> dream images
    unreachable: tuple[str, ...]
    not_joined: tuple[str, ...]
    collection: DreamCollectionRecord | None
    next_session: NextSession | None


@dataclass(frozen=True)
class DreamProposalRecord:
    id: int
    first: DreamImageRecord
    second: DreamImageRecord
    score: float
    state: str


@dataclass(frozen=True)
class ProcessingView:
    """Everything the moderator's processing screen shows."""

    trajectory: TrajectoryRecord
    themes: tuple[DreamTheme, ...]
    images: tuple[DreamImageRecord, ...]
    proposals: tuple[DreamProposalRecord, ...]  # still open
    collection: DreamCollectionRecord
    next_session: NextSession | None

    def of_theme(self, theme_id: int) -> tuple[DreamImageRecord, ...]:
        return tuple(image for image in self.images if image.theme_id == theme_id)


@dataclass(frozen=True)
class SummaryItem:
    text: str
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class SummaryTheme:
    """One theme of the processed result: a list of dream images (the source's example)."""

    position: int
    name: str
    items: tuple[SummaryItem, ...]


@dataclass(frozen=True)
class ReminderJob:
    """A reminder row an instance claimed."""

    id: int
    trajectory_id: int
    meeting_id: int | None
    person_id: int
    kind: str
    due_at: datetime


@dataclass(frozen=True)
class ReminderDecision:
    """What to do with a claimed reminder at send time, and what the message needs."""

    action: str  # send | drop | unreachable | skip
    reason: str | None = None
    telegram_id: int | None = None
    name: str = ""
    language: str = "nl"
    trajectory: TrajectoryRecord | None = None
    starts_at: datetime | None = None
    missing: tuple[tuple[DreamTheme, int], ...] = ()  # themes not done, with the member's count
    total_themes: int = 0
