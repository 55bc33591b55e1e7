"""Command menus per person: moderators get the moderator's menu in their group, members the members'."""

from __future__ import annotations

from bot.menus import GROUP, MODERATOR, PRIVATE
from tests.conversations.test_onboarding import group_with
from tests.harness import Harness


def described(harness: Harness, chat: dict, user: dict, command: str) -> str:
    """The description of ``command`` in the menu ``user`` sees in ``chat``."""
    import json

    core = harness.core
    for (scope, _), commands in core.commands.items():
        if json.loads(scope).get("chat_id") == chat["id"] and json.loads(scope).get("user_id") in (None, user["id"]):
            for entry in commands:
                if entry["command"] == command:
                    return entry["description"]
    raise AssertionError(f"{command} not in a menu of {chat['id']}")


async def test_moderators_and_members_see_their_own_menu(harness: Harness) -> None:
    core = harness.core
    group, users = group_with(core, "Anne", "Bart", "Chris", admins=("Bart",))
    anne, bart, chris = users["Anne"], users["Bart"], users["Chris"]
    await harness.add_bot(group, anne)

    assert core.menu_of(anne, group) == list(MODERATOR)
    assert core.menu_of(chris, group) == list(GROUP)
    # An admin who is not a moderator sees the members' menu, not 36 commands.
    assert core.menu_of(bart, group) == list(GROUP)
    assert core.menu_of(chris, chris["id"]) == list(PRIVATE)

    await harness.say(anne, group, "/moderator")
    pick = harness.last_from_bot(group)
    (button,) = [b for row in pick["reply_markup"]["inline_keyboard"] for b in row if "Bart" in b["text"]]
    await harness.press(anne, pick, button["callback_data"])
    assert core.menu_of(bart, group) == list(MODERATOR)


async def test_the_groups_language_changes_its_menus(harness: Harness) -> None:
    core = harness.core
    group, users = group_with(core, "Anne", "Chris")
    anne, chris = users["Anne"], users["Chris"]
    await harness.add_bot(group, anne)
    dutch = described(harness, group, anne, "stemronde")
    await harness.say(anne, group, "/taal en")
    english = described(harness, group, anne, "stemronde")
    assert dutch != english and english == harness.app.bot_data["services"].texts.label("en", "command.stemronde")
    assert described(harness, group, chris, "leden") == harness.app.bot_data["services"].texts.label("en", "command.leden")
    assert core.menu_of(anne, group) == list(MODERATOR)


async def test_a_moderator_who_leaves_loses_the_moderators_menu(harness: Harness) -> None:
    core = harness.core
    group, users = group_with(core, "Anne", "Bart", admins=("Bart",))
    anne, bart = users["Anne"], users["Bart"]
    await harness.add_bot(group, anne)
    await harness.say(anne, group, "/moderator")
    pick = harness.last_from_bot(group)
    (button,) = [b for row in pick["reply_markup"]["inline_keyboard"] for b in row if "Bart" in b["text"]]
    await harness.press(anne, pick, button["callback_data"])
    core.leave_group(group, bart)
    await harness.run()
    core.add_member(group, bart, "administrator")  # back in the group: a member's menu
    assert core.menu_of(bart, group) == list(GROUP)
    assert core.menu_of(anne, group) == list(MODERATOR)


async def test_a_members_private_menu_follows_their_language(harness: Harness) -> None:
    core = harness.core
    group, users = group_with(core, "Anne", "Chris")
    chris = users["Chris"]
    await harness.add_bot(group, users["Anne"])
    await harness.say(chris, chris["id"], "/start")
    await harness.say(chris, chris["id"], "/taal en")
    assert core.menu_of(chris, chris["id"]) == list(PRIVATE)
    texts = harness.app.bot_data["services"].texts
    assert described(harness, chris, chris, "stembiljet") == texts.label("en", "command.stembiljet")
