"""``kopgroep demo``: the real bot against the fake Telegram on 127.0.0.1, with scripted members.

No token and no internet needed. The bot polls the fake server over HTTP exactly as it would
poll Telegram; the script plays a moderator and three members, then prints the conversation.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import tempfile
from pathlib import Path

from fake_telegram.core import FakeTelegram
from fake_telegram.server import FakeTelegramServer
from fake_telegram.waiting import wait_for, wait_for_bot_message
from telegram import Update

from bot.config import load_settings

ORGANISATION = "Gemeente Zottegem"


def run_demo(language: str = "nl") -> int:
    """Run the scripted demo and print the transcript; returns the exit code."""
    logging.basicConfig(level=logging.WARNING)
    transcript = asyncio.run(_demo(language))
    print(transcript)
    return 0


async def _demo(language: str) -> str:
    from bot.app import build_application
    from storage.migrate import upgrade

    core = FakeTelegram()
    async with FakeTelegramServer(core) as server:
        with tempfile.TemporaryDirectory(prefix="kopgroep-demo-") as folder:
            database_url = f"sqlite:///{Path(folder) / 'demo.db'}"
            upgrade(database_url)
            settings = load_settings(
                {
                    "TELEGRAM_BOT_TOKEN": core.token,
                    "TELEGRAM_API_BASE_URL": server.base_url,
                    "DATABASE_URL": database_url,
                    "LANGUAGE": language,
                    "BALLOT_SECRET": secrets.token_hex(32),
                },
                env_file=None,
            )
            application = build_application(settings)
            async with application:
                await application.post_init(application)  # type: ignore[misc]
                await application.start()
                assert application.updater is not None
                await application.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES)
                try:
                    await _script(core)
                finally:
                    await application.updater.stop()
                    await application.stop()
    return core.transcript()


async def _script(core: FakeTelegram) -> None:
    """A moderator adds the bot; members join; the group looks at who is in."""
    group = core.add_group("Kopgroep MVO")
    anne = core.add_user("Anne", last_name="Peeters", username="anne_p")
    bart = core.add_user("Bart", username="bartv")
    chris = core.add_user("Chris")
    dirk = core.add_user("Dirk", language_code="en")
    core.add_member(group, anne, "creator")
    core.add_member(group, bart, "administrator")
    for member in (chris, dirk):
        core.add_member(group, member)

    core.add_bot_to_group(group, anne)
    welcome = await wait_for_bot_message(core, group["id"])
    question = await wait_for_bot_message(core, group["id"], since=1)
    core.send_message(anne, group, ORGANISATION, reply_to_message_id=question["message_id"])
    await wait_for_bot_message(core, group["id"], contains=ORGANISATION)

    join_url = welcome["reply_markup"]["inline_keyboard"][0][0]["url"]
    for member in (anne, bart, chris):
        core.open_link(member, join_url)
        await wait_for_bot_message(core, member["id"])

    seen = len(core.sent_messages(group["id"]))
    core.send_message(dirk, group, "/leden")
    await wait_for_bot_message(core, group["id"], since=seen)

    seen = len(core.sent_messages(group["id"]))
    core.send_message(anne, group, "/moderator")
    # Updates of different chats run side by side, so another group message may come first.
    pick = await wait_for(core, lambda c: _with_button(c, group, seen, "Bart"))
    core.press_button(anne, pick, text="Bart")
    await wait_for_bot_message(core, group["id"], since=seen + 1)
    await wait_for(core, lambda c: all(q["answered"] for q in c.callback_queries.values()))

    await _themes_and_vote(core, group, anne, [anne, bart, chris])


def _with_button(core: FakeTelegram, group: dict, since: int, needle: str) -> dict | None:
    """The first bot message in the group since ``since`` with a button whose text or data holds ``needle``."""
    for message in core.sent_messages(group["id"])[since:]:
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        if any(needle in button.get("text", "") or needle in button.get("callback_data", "") for row in rows for button in row):
            return message
    return None


async def _themes_and_vote(core: FakeTelegram, group: dict, anne: dict, voters: list[dict]) -> None:
    """The example themes, one voting round by three members, the result and consensus."""
    seen = len(core.sent_messages(group["id"]))
    core.send_message(anne, group, "/catalogus")
    pick = await wait_for(core, lambda c: _with_button(c, group, seen, ":examples"))
    data = next(b["callback_data"] for row in pick["reply_markup"]["inline_keyboard"] for b in row if b["callback_data"].endswith(":examples"))
    core.press_button(anne, pick, data)
    await wait_for(core, lambda c: any("toegevoegd" in (m.get("text") or "") or "added" in (m.get("text") or "") for m in c.sent_messages(group["id"])[seen:]))

    seen = len(core.sent_messages(group["id"]))
    core.send_message(anne, group, "/stemronde")
    await wait_for_bot_message(core, group["id"], since=seen + 1)
    # Each member's own view of the themes: 3 for the first three, 1 for the last.
    for voter in voters:
        ballot = await wait_for(core, lambda c, v=voter: _ballot(c, v))
        votes = [b["callback_data"] for row in ballot["reply_markup"]["inline_keyboard"] for b in row if b.get("callback_data", "").startswith("vote:")]
        themes = sorted({int(v.split(":")[2]) for v in votes})
        round_id = votes[0].split(":")[1]
        for index, theme in enumerate(themes):
            score = 3 if index < 3 else 1
            core.press_button(voter, ballot, f"vote:{round_id}:{theme}:{score}")
            await wait_for(core, lambda c, v=voter, r=round_id, t=theme, s=score: f"'callback_data': 'vote:{r}:{t}:{s}'" in str(_ballot(c, v)) and f"✅ {s}" in str(_ballot(c, v)))
        core.press_button(voter, ballot, f"vsubmit:{round_id}")
        await wait_for(core, lambda c, v=voter: "✅" in (c.sent_messages(v["id"])[-1]["text"] if c.sent_messages(v["id"]) else ""))
    seen = len(core.sent_messages(group["id"]))
    core.send_message(anne, group, "/sluitronde")
    await wait_for(core, lambda c: any("Uitslag" in (m.get("text") or "") or "Result" in (m.get("text") or "") for m in c.sent_messages(group["id"])[seen:]))
    await wait_for(core, lambda c: any(m.get("photo") for m in c.sent_messages(group["id"])[seen:]))
    seen = len(core.sent_messages(group["id"]))
    core.send_message(anne, group, "/consensus")
    await wait_for_bot_message(core, group["id"], since=seen)


def _ballot(core: FakeTelegram, user: dict) -> dict | None:
    for message in reversed(core.sent_messages(user["id"])):
        if "vote:" in str(message.get("reply_markup")):
            return message
    return None
