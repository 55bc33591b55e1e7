"""Shared steps for the reliability tests: a registered group, and raw updates of our own making."""

from __future__ import annotations

import itertools
from typing import Any

from telegram import Update

from storage import trajectories
from storage.records import TrajectoryRecord
from tests.harness import Harness

_ids = itertools.count(900_001)


async def group_of(harness: Harness, *names: str, supergroup: bool = False) -> tuple[dict, dict[str, dict]]:
    """A registered group with an organisation; the first name is the moderator; everyone joined."""
    core = harness.core
    group = core.add_group("Kopgroep MVO", supergroup=supergroup)
    users: dict[str, dict] = {}
    for index, name in enumerate(names):
        users[name] = core.add_user(name)
        core.add_member(group, users[name], "creator" if index == 0 else "member")
    await harness.add_bot(group, users[names[0]])
    await harness.say(users[names[0]], group, "/organisatie Gemeente Zottegem")
    welcome = core.sent_messages(group["id"])[0]
    for name in names:
        await harness.follow_join_button(users[name], welcome)
    return group, users


async def trajectory_of(harness: Harness, chat: dict | int) -> TrajectoryRecord:
    found = await harness.db.run(trajectories.by_chat, chat["id"] if isinstance(chat, dict) else chat)
    assert found is not None
    return found


async def deliver(harness: Harness, kind: str, payload: dict[str, Any]) -> None:
    """Hand one raw update to the application, as Telegram would post it."""
    data = {"update_id": next(_ids), kind: payload}
    await harness.app.process_update(Update.de_json(data, harness.app.bot))


def message(chat: dict, sender: dict, **content: Any) -> dict[str, Any]:
    """A message payload in ``chat`` from ``sender`` (content: text, entities, service fields ...)."""
    return {"message_id": next(_ids), "date": 1_790_000_000, "chat": chat, "from": sender, **content}


def command(chat: dict, sender: dict, text: str, **content: Any) -> dict[str, Any]:
    length = len(text.split()[0])
    return message(
        chat, sender, text=text, entities=[{"type": "bot_command", "offset": 0, "length": length}], **content
    )


async def restart(harness: Harness) -> None:
    """Stop the application and start a new one on the same database and the same Telegram.

    Nothing survives in memory: the new application has its own Database object, so only what
    was committed to the tables carries over.
    """
    from fake_telegram.request import FakeTelegramRequest

    from bot.app import build_application
    from storage.db import Database

    settings = harness.app.bot_data["services"].settings
    await harness.app.shutdown()  # also disposes the old Database
    harness.db = Database(harness.db.url)
    harness.app = build_application(
        settings,
        db=harness.db,
        request=FakeTelegramRequest(harness.core),
        updates_request=FakeTelegramRequest(harness.core),
        rate_limiter=False,
    )
    await harness.start()
