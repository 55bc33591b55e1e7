"""Foundation behaviour under load and faults: long messages, 429s, a failing handler."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from bot.messaging import utf16_len
from bot.render import Texts
from storage import people, trajectories
from storage.records import TelegramUser, shorten_name
from tests.harness import Harness


async def registered_group(harness: Harness) -> tuple[dict, dict]:
    core = harness.core
    group = core.add_group("Kopgroep")
    anne = core.add_user("Anne")
    core.add_member(group, anne, "creator")
    await harness.add_bot(group, anne)
    return group, anne


async def test_a_long_member_list_is_split_into_valid_messages(harness: Harness) -> None:
    group, anne = await registered_group(harness)
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    long_name = "Maximiliaan-Alexander " * 3
    for number in range(300):
        user = TelegramUser(50_000 + number, f"{long_name}{number}", "Van Den Broeck-De Smet")
        await harness.db.run(people.join, trajectory.join_token, user)
    before = len(harness.core.sent_messages(group["id"]))
    await harness.say(anne, group, "/leden")
    parts = harness.core.sent_messages(group["id"])[before:]
    assert len(parts) >= 5
    assert all(utf16_len(p["text"]) <= 4096 for p in parts)
    joined_text = "\n".join(p["text"] for p in parts)
    for number in (0, 150, 299):
        # Names longer than a message should carry are shown shortened (storage/records/people.py).
        assert shorten_name(f"{long_name}{number} Van Den Broeck-De Smet") in joined_text


@pytest.mark.parametrize("rate_limited", [True])
async def test_a_429_is_waited_out_and_the_message_still_arrives(harness: Harness) -> None:
    group, anne = await registered_group(harness)
    harness.core.fail("sendMessage", chat_id=group["id"], kind="429", retry_after=1)
    await harness.say(anne, group, "/help")
    assert "Volgende stap:" in harness.last_text(group)
    refused = [c for c in harness.core.calls_of("sendMessage") if not c.ok]
    assert len(refused) == 1 and refused[0].error.error_code == 429


async def test_a_failing_handler_apologises_without_a_traceback(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    group, anne = await registered_group(harness)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database exploded")

    monkeypatch.setattr(people, "members", broken)
    with caplog.at_level(logging.ERROR, logger="kopgroep.errors"):
        await harness.say(anne, group, "/leden")
    assert harness.last_text(group) == "Er ging iets mis aan mijn kant. Er is niets verloren; probeer het zo nog eens."
    assert not any("database exploded" in m["text"] for m in harness.core.sent_messages(group["id"]))
    (record,) = [r for r in caplog.records if r.name == "kopgroep.errors"]
    assert f"chat {group['id']}" in record.getMessage() and "/leden" not in record.getMessage()
    assert [type(e) for e in harness.errors] == [RuntimeError]
    harness.errors.clear()


def test_dates_follow_language_and_group_timezone() -> None:
    texts = Texts()
    moment = datetime(2026, 12, 10, 13, 0, tzinfo=UTC)
    env = texts.env
    template = env.from_string("{{ fmt_datetime(moment) }}|{{ fmt_date(moment) }}")
    nl = template.render(moment=moment, **_formatters(texts, "nl", "Europe/Brussels"))
    en = template.render(moment=moment, **_formatters(texts, "en", "Europe/London"))
    assert nl == "10 december 2026 om 14:00|10 december 2026"
    assert en == "10 December 2026 at 13:00|10 December 2026"


def _formatters(texts: Texts, lang: str, tz: str) -> dict:
    from zoneinfo import ZoneInfo

    from bot.render import date_formatters

    return date_formatters(lang, ZoneInfo(tz))
