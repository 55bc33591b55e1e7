"""Fixtures for the fake Telegram tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fake_telegram import FakeTelegram


@pytest.fixture
def core() -> FakeTelegram:
    """A fresh fake Telegram."""
    return FakeTelegram()


@pytest.fixture
def world(core: FakeTelegram) -> SimpleNamespace:
    """Alice (creator, started the bot), Bob (member), Carol (never started the bot),
    a group with the bot in it, and an empty update queue."""
    alice = core.add_user("Alice", username="alice")
    bob = core.add_user("Bob")
    carol = core.add_user("Carol")
    group = core.add_group("Groep Zottegem")
    core.add_member(group, alice, "creator")
    core.add_member(group, bob)
    core.add_bot_to_group(group, alice)
    core.open_deep_link(alice, "welkom")
    core.take_updates(offset=10**9)
    return SimpleNamespace(core=core, alice=alice, bob=bob, carol=carol, group=group)
