"""Every row of docs/permissions.md, both ways: who may, and who is refused."""

from __future__ import annotations

import pytest

from tests.harness import Harness

REFUSED = "Dat kan alleen de moderator van de kopgroep."

# Group commands only a moderator may use (docs/permissions.md).
MODERATOR_ONLY = [
    "/catalogus",
    "/importeer",
    "/thema nieuw Mobiliteit",
    "/organisatie Gemeente Zottegem",
    "/moderator",
    "/taal en",
    "/sessie",
    "/notitie sterktes Goede samenwerking",
    "/scherm",
    "/scherm stop",
    "/stemronde",
    "/sluitronde",
    "/verleng morgen 17u",
    "/consensus 1",
    "/stemregel aantal 2",
    "/vragen nieuw Wie betrekken we?",
    "/dialoog",
    "/volgende",
    "/deelname",
    "/begrip Impact = Het verschil dat we maken",
    "/droombeelden",
    "/volgendesessie 10 december 14u",
    "/herinneringen 72 24",
    "/herinner",
    "/verwerk",
    "/rapport",
    "/beslissing goedgekeurd 12 december 2026 Akkoord",
    "/export",
    "/herstel",
    "/evaluatie",
    "/afsluiten",
]
# Group commands for everyone in the group.
EVERYONE = ["/themas", "/thema 1", "/help", "/leden", "/uitnodiging", "/stemregel", "/uitslag", "/geparkeerd", "/vragen"]
EVERYONE += ["/doelen"]  # step 6: the goals per chosen theme (with write links)


async def group(harness: Harness) -> tuple[dict, dict, dict, dict]:
    """Anne moderator (joined), Bart member (joined), Chris in the group but not joined."""
    core = harness.core
    chat = core.add_group("Kopgroep")
    anne, bart, chris = core.add_user("Anne"), core.add_user("Bart"), core.add_user("Chris")
    core.add_member(chat, anne, "creator")
    core.add_member(chat, bart)
    core.add_member(chat, chris)
    await harness.add_bot(chat, anne)
    welcome = core.sent_messages(chat["id"])[0]
    for person in (anne, bart):
        await harness.follow_join_button(person, welcome)
    return chat, anne, bart, chris


@pytest.mark.parametrize("command", MODERATOR_ONLY)
async def test_moderator_only_commands(harness: Harness, command: str) -> None:
    chat, anne, bart, chris = await group(harness)
    for outsider in (bart, chris):
        before = len(harness.core.sent_messages(chat["id"]))
        await harness.say(outsider, chat, command)
        replies = harness.bot_texts(chat)[before:]
        assert replies == [REFUSED], (outsider["first_name"], command, replies)
    before = len(harness.core.sent_messages(chat["id"]))
    await harness.say(anne, chat, command)
    replies = harness.bot_texts(chat)[before:]
    assert replies and REFUSED not in replies, (command, replies)


@pytest.mark.parametrize("command", EVERYONE)
async def test_commands_for_everyone(harness: Harness, command: str) -> None:
    chat, anne, bart, chris = await group(harness)
    for person in (anne, bart, chris):
        before = len(harness.core.sent_messages(chat["id"]))
        await harness.say(person, chat, command)
        replies = harness.bot_texts(chat)[before:]
        assert replies and REFUSED not in replies, (person["first_name"], command, replies)


@pytest.mark.parametrize("command", MODERATOR_ONLY + EVERYONE)
async def test_in_an_unregistered_group_every_command_says_so(harness: Harness, command: str) -> None:
    core = harness.core
    chat = core.add_group("Nog niet ingeschreven")
    anne = core.add_user("Anne")
    core.add_member(chat, anne, "creator")
    core.set_bot_status(chat, "member")
    await harness.say(anne, chat, command)
    reply = harness.last_text(chat)
    assert "nog niet ingeschreven" in reply, (command, reply)


async def test_private_commands_for_anyone_and_group_commands_not_in_private(harness: Harness) -> None:
    chat, anne, bart, chris = await group(harness)
    for command in ("/help", "/start", "/groep", "/taal", "/stembiljet", "/begrip", "/begrip sdg", "/mijngegevens", "/vergeetmij"):
        before = len(harness.core.sent_messages(chris["id"]))
        await harness.say(chris, chris["id"], command)
        assert harness.bot_texts(chris["id"])[before:], command
    for command in ("/stemronde", "/leden", "/sessie", "/scherm", "/dialoog", "/vragen", "/deelname", "/export", "/herstel"):
        await harness.say(anne, anne["id"], command)
        assert harness.last_text(anne["id"]) == "Dat commando werkt in de groep van de kopgroep, niet hier."
    await harness.say(anne, anne["id"], "/bestaatniet")
    assert "Dat commando ken ik niet" in harness.last_text(anne["id"])
