"""End to end: the menus a moderator and a member see, set by the real bot process over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync

from bot.menus import GROUP, MODERATOR
from bot.render import Texts
from tests.e2e.test_bot_process import fake_server, start_bot, stop_bot  # noqa: F401 (fixture)


def description(core, chat: dict, user: dict, command: str) -> str | None:  # noqa: ANN001
    """The description of ``command`` in the most specific menu ``user`` has in ``chat``."""
    for scope in (
        {"type": "chat_member", "chat_id": chat["id"], "user_id": user["id"]},
        {"type": "chat", "chat_id": chat["id"]},
    ):
        found = core.commands.get((json.dumps(scope, sort_keys=True), ""))
        if found is not None:
            return next((entry["description"] for entry in found if entry["command"] == command), None)
    return None


def test_menus_per_person_and_per_language(fake_server, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    core, base_url = fake_server
    process = start_bot(core, base_url, database_url, tmp_path)
    try:
        group = core.add_group("Kopgroep MVO")
        anne, bart, chris = core.add_user("Anne"), core.add_user("Bart"), core.add_user("Chris")
        core.add_member(group, anne, "creator")
        core.add_member(group, bart, "administrator")
        core.add_member(group, chris)
        core.add_bot_to_group(group, anne)
        wait_for_bot_message_sync(core, group["id"], contains="hoe heet jullie organisatie")
        wait_for_sync(core, lambda c: c.menu_of(anne, group) == list(MODERATOR), timeout=10, what="Anne's menu")
        assert core.menu_of(bart, group) == list(GROUP)  # an admin, not a moderator
        assert core.menu_of(chris, group) == list(GROUP)

        core.send_message(anne, group, "/moderator")
        pick = wait_for_bot_message_sync(core, group["id"], contains="Wie wordt")
        (button,) = [b for row in pick["reply_markup"]["inline_keyboard"] for b in row if "Bart" in b["text"]]
        core.press_button(anne, pick, button["callback_data"])
        wait_for_sync(core, lambda c: c.menu_of(bart, group) == list(MODERATOR), timeout=10, what="Bart's menu")

        core.send_message(anne, group, "/taal en")
        wait_for_bot_message_sync(core, group["id"], contains="English")
        english = Texts().label("en", "command.stemronde")
        for person in (anne, bart):
            wait_for_sync(core, lambda c, p=person: description(c, group, p, "stemronde") == english, timeout=10, what="English menus")
        assert description(core, group, chris, "leden") == Texts().label("en", "command.leden")
        assert core.menu_of(bart, group) == list(MODERATOR)
    finally:
        stop_bot(process)
    assert not [c for c in core.calls if not c.ok and c.method != "getUpdates"], "the bot made a call Telegram refused"
