"""Shared steps for the dream-image tests: a group with chosen themes, writing, a controllable clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fake_telegram.core import FakeTelegram

from conversations import dream_images, dream_processing, dream_reminders, dreams
from storage import trajectories
from tests.conversations.voting_helpers import voting_group
from tests.harness import Harness

# Tuesday 1 December 2026, 9:00 in Brussels.
START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


class Clock:
    """The time the dream-image modules see; tests move it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, value: datetime) -> None:
        self.now = value


def install_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The dream-image modules read this clock instead of the system's."""
    value = Clock(START)
    for module in (dreams, dream_images, dream_processing, dream_reminders):
        monkeypatch.setattr(module, "now", value)
    return value


async def dream_group(
    harness: Harness, members: int = 6, *, language: str = "nl"
) -> tuple[dict, list[dict], list[int], int]:
    """A registered group, ``members`` joined (the first moderates), themes 1-3 of 4 chosen."""
    group, people, themes = await voting_group(harness, members=members, themes=4, language=language)
    await harness.say(people[0], group, "/consensus 1, 2, 3")
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    assert trajectory is not None
    return group, people, themes[:3], trajectory.id


def buttons(message: dict) -> list[dict]:
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def data_of(message: dict, prefix: str) -> list[str]:
    return [b["callback_data"] for b in buttons(message) if b.get("callback_data", "").startswith(prefix)]


def latest_with(core: FakeTelegram, chat_id: int, data: str) -> dict:
    """The chat's latest bot message with a button carrying exactly ``data``."""
    for message in reversed(core.sent_messages(chat_id)):
        if data in data_of(message, data.split(":")[0] + ":"):
            return message
    raise AssertionError(f"no message with button {data!r} in chat {chat_id}")


def latest_with_prefix(core: FakeTelegram, chat_id: int, prefix: str) -> dict:
    for message in reversed(core.sent_messages(chat_id)):
        if data_of(message, prefix):
            return message
    raise AssertionError(f"no message with a {prefix!r} button in chat {chat_id}")


async def write(harness: Harness, person: dict, trajectory_id: int, theme_id: int, *texts: str) -> None:
    """Press the theme's button (on the latest message that has it), then send each text."""
    data = f"dth:{trajectory_id}:{theme_id}"
    await harness.press(person, latest_with(harness.core, person["id"], data), data)
    for text in texts:
        await harness.say(person, person["id"], text)


async def mark_done(harness: Harness, person: dict, trajectory_id: int, theme_id: int) -> None:
    await write(harness, person, trajectory_id, theme_id)
    data = f"ddone:{trajectory_id}:{theme_id}:1"
    await harness.press(person, latest_with(harness.core, person["id"], data), data)


def reminders_to(core: FakeTelegram, person: dict) -> list[str]:
    return [m["text"] for m in core.sent_messages(person["id"]) if m.get("text", "").startswith("⏰")]
