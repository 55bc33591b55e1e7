"""Many reminders due at once: one tick takes batch after batch, not one batch per tick."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from conversations import dream_reminders
from tests.conversations.dream_helpers import START, Clock, dream_group, install_clock, reminders_to
from tests.harness import Harness

FIRST = START.replace(day=10, hour=13) - timedelta(hours=72)  # 72 hours before the session


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(monkeypatch)


async def test_one_tick_sends_every_due_reminder_in_batches(harness: Harness, clock: Clock) -> None:
    group, people, _, _ = await dream_group(harness)
    await harness.say(people[0], group, "/droombeelden")
    await harness.say(people[0], group, "/volgendesessie 10 december 14u")
    services = harness.app.bot_data["services"]
    harness.app.bot_data["services"] = replace(services, settings=replace(services.settings, reminder_batch=4))

    outcomes = await dream_reminders.run_reminders(harness.app, FIRST)
    assert [outcome for outcome, _ in outcomes.values()] == ["sent"] * 6  # batches of 4, 2
    assert all(len(reminders_to(harness.core, person)) == 1 for person in people)
    assert await dream_reminders.run_reminders(harness.app, FIRST + timedelta(minutes=1)) == {}
