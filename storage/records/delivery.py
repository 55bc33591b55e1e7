"""Records of delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class UndeliveredRecord:
    """A message that did not reach a member after retries, as the moderator is told about it."""

    name: str
    kind: str
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class InboxItem:
    """One stored webhook update, taken by an instance to process (storage/inbox.py)."""

    update_id: int
    lane: int
    payload: str
    attempts: int
