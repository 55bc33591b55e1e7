"""A moderator adds the bot, members join through "Doe mee", /leden, co-moderators, languages."""

from __future__ import annotations

from fake_telegram.core import FakeTelegram

from storage import people, trajectories
from tests.harness import Harness


def group_with(core: FakeTelegram, *names: str, admins: tuple[str, ...] = ()) -> tuple[dict, dict[str, dict]]:
    group = core.add_group("Kopgroep MVO Zottegem")
    users = {}
    for name in names:
        users[name] = core.add_user(name, username=name.lower())
        core.add_member(group, users[name], "creator" if name == names[0] else ("administrator" if name in admins else "member"))
    return group, users


async def test_adding_the_bot_registers_the_group_and_asks_the_organisation(harness: Harness) -> None:
    core = harness.core
    group, users = group_with(core, "Anne", "Bart")
    await harness.add_bot(group, users["Anne"])

    welcome, question = core.sent_messages(group["id"])
    assert "Kopgroep-bot" in welcome["text"] and "moderator" in welcome["text"]
    button = welcome["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "Doe mee"
    assert button["url"].startswith("https://t.me/kopgroep_test_bot?start=")
    (asked,) = [c for c in core.calls_of("sendMessage") if c.result["message_id"] == question["message_id"]]
    assert asked.params["reply_markup"]["force_reply"] is True
    assert "hoe heet jullie organisatie" in harness.last_text(group)

    # Bart is not a moderator: his reply changes nothing.
    await harness.say(users["Bart"], group, "Gemeente Fout", reply_to=question["message_id"])
    assert "alleen de moderator" in harness.last_text(group)
    # An empty name is refused with a clear message.
    await harness.say(users["Anne"], group, "   ", reply_to=question["message_id"])
    assert "geen naam" in harness.last_text(group)
    await harness.say(users["Anne"], group, "Gemeente  Zottegem", reply_to=question["message_id"])
    assert harness.last_text(group) == "Genoteerd: deze kopgroep werkt voor Gemeente Zottegem."
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    assert trajectory is not None and trajectory.organisation == "Gemeente Zottegem"
    moderators = await harness.db.run(people.moderator_ids, trajectory.id)
    assert moderators == {users["Anne"]["id"]}


async def test_members_join_with_the_button_and_leden_counts_the_rest(harness: Harness) -> None:
    core = harness.core
    group, users = group_with(core, "Anne", "Bart", "Chris", "Dirk")
    await harness.add_bot(group, users["Anne"])
    welcome = core.sent_messages(group["id"])[0]

    await harness.follow_join_button(users["Bart"], welcome)
    assert harness.last_text(users["Bart"]["id"]).startswith("Welkom, Bart! Je bent nu lid van de kopgroep")
    await harness.follow_join_button(users["Anne"], welcome)
    await harness.follow_join_button(users["Bart"], welcome)  # twice: no harm
    assert "Je bent al lid" in harness.last_text(users["Bart"]["id"])

    await harness.say(users["Chris"], group, "/leden")
    overview = harness.last_text(group)
    assert "Anne (moderator)" in overview and "Bart" in overview
    # Chris wrote in the group, Dirk never did: both have not joined; only Chris has a name.
    assert "2 groepsleden hebben het privégesprek met mij nog niet geopend: Chris en nog 1 andere." in overview
    assert "Dirk" not in overview


async def test_a_forged_or_unknown_token_is_refused(harness: Harness) -> None:
    core = harness.core
    group, users = group_with(core, "Anne")
    outsider = core.add_user("Eva")
    await harness.add_bot(group, users["Anne"])
    core.open_deep_link(outsider, "forged-token-123")
    await harness.run()
    assert "Deze uitnodiging werkt niet" in harness.last_text(outsider["id"])
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    assert [m.person.first_name for m in await harness.db.run(people.members, trajectory.id)] == ["Anne"]


async def test_one_person_in_two_groups_chooses_where_answers_go(harness: Harness) -> None:
    core = harness.core
    first, users = group_with(core, "Anne", "Bart")
    second = core.add_group("Kopgroep OCMW")
    core.add_member(second, users["Bart"], "creator")
    core.add_member(second, users["Anne"], "member")
    await harness.add_bot(first, users["Anne"])
    await harness.add_bot(second, users["Bart"])
    await harness.say(users["Anne"], first, "/organisatie Gemeente Zottegem")
    await harness.say(users["Bart"], second, "/organisatie OCMW Zottegem")

    await harness.follow_join_button(users["Anne"], core.sent_messages(first["id"])[0])
    await harness.follow_join_button(users["Anne"], core.sent_messages(second["id"])[0])
    assert "Je zit ook in 1 andere kopgroep" in harness.last_text(users["Anne"]["id"])

    await harness.say(users["Anne"], users["Anne"]["id"], "/help")
    assert "OCMW Zottegem ← je antwoorden gaan hierheen" in harness.last_text(users["Anne"]["id"])
    await harness.say(users["Anne"], users["Anne"]["id"], "/groep")
    choice = harness.last_from_bot(users["Anne"]["id"])
    await harness.press(users["Anne"], choice, text="Gemeente Zottegem")
    assert harness.last_text(users["Anne"]["id"]) == "Je antwoorden gaan nu naar de kopgroep Gemeente Zottegem."
    answer = core.callback_queries
    assert all(q["answered"] for q in answer.values())
    # The same choice again on that message (a second tap that arrives late): it already says so,
    # and Telegram refuses an edit that changes nothing; that is no failure (found by test_fuzz).
    chosen = harness.last_from_bot(users["Anne"]["id"])
    first_trajectory = await harness.db.run(trajectories.by_chat, first["id"])
    query_id = await harness.forge_press(users["Anne"], chosen, f"grp:{first_trajectory.id}")
    assert core.callback_queries[query_id]["answered"] and not harness.errors
    assert harness.last_text(users["Anne"]["id"]) == "Je antwoorden gaan nu naar de kopgroep Gemeente Zottegem."


async def test_forged_group_choice_is_refused(harness: Harness) -> None:
    core = harness.core
    first, users = group_with(core, "Anne", "Bart")
    other = core.add_group("Andere groep")
    core.add_member(other, users["Bart"], "creator")
    await harness.add_bot(first, users["Anne"])
    await harness.add_bot(other, users["Bart"])
    await harness.follow_join_button(users["Anne"], core.sent_messages(first["id"])[0])
    await harness.say(users["Anne"], users["Anne"]["id"], "/taal")
    keyboard_message = harness.last_from_bot(users["Anne"]["id"])
    # Anne's client could send any callback data; she is not a member of "other".
    other_trajectory = await harness.db.run(trajectories.by_chat, other["id"])
    query_id = await harness.forge_press(users["Anne"], keyboard_message, f"grp:{other_trajectory.id}")
    query = core.callback_queries[query_id]
    assert query["answered"] and "geen lid" in query["answer"]["text"]
    private = await harness.db.run(people.private_context, _tg(users["Anne"]))
    assert private.current is not None and private.current.chat_id == first["id"]


def _tg(user: dict):
    from storage.records import TelegramUser

    return TelegramUser(user["id"], user["first_name"], user.get("last_name"), user.get("username"))


async def test_co_moderator_only_from_admins_and_only_by_a_moderator(harness: Harness) -> None:
    core = harness.core
    group, users = group_with(core, "Anne", "Bart", "Chris", admins=("Bart",))
    await harness.add_bot(group, users["Anne"])
    await harness.say(users["Chris"], group, "/moderator")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."

    await harness.say(users["Anne"], group, "/moderator")
    pick = harness.last_from_bot(group)
    names = [row[0]["text"] for row in pick["reply_markup"]["inline_keyboard"]]
    assert names == ["Bart"]  # Anne already is moderator; Chris is no admin
    # Chris presses the button: refused, nothing changes.
    await harness.press(users["Chris"], pick, text="Bart")
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    assert await harness.db.run(people.moderator_ids, trajectory.id) == {users["Anne"]["id"]}
    await harness.press(users["Anne"], pick, text="Bart")
    assert "Bart is nu ook moderator" in harness.last_text(group)
    assert await harness.db.run(people.moderator_ids, trajectory.id) == {users["Anne"]["id"], users["Bart"]["id"]}

    # As a reply to a non-admin: refused with the reason.
    chris_message = core.send_message(users["Chris"], group, "/leden")
    await harness.run()
    await harness.say(users["Anne"], group, "/moderator", reply_to=chris_message["message"]["message_id"])
    assert "Chris is geen beheerder" in harness.last_text(group)


async def test_group_switches_language_and_everything_follows(harness: Harness) -> None:
    core = harness.core
    group, users = group_with(core, "Anne", "Bart")
    await harness.add_bot(group, users["Anne"])
    await harness.say(users["Bart"], group, "/taal en")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(users["Anne"], group, "/taal")
    await harness.press(users["Anne"], harness.last_from_bot(group), text="English")
    assert harness.last_text(group) == "From now on I speak English in this group."
    await harness.say(users["Bart"], group, "/help")
    assert "For everyone" in harness.last_text(group)
    await harness.follow_join_button(users["Bart"], core.sent_messages(group["id"])[0])
    assert harness.last_text(users["Bart"]["id"]).startswith("Welcome, Bart!")
    await harness.say(users["Bart"], users["Bart"]["id"], "/taal nl")
    await harness.say(users["Bart"], users["Bart"]["id"], "/help")
    assert "Jouw kopgroepen" in harness.last_text(users["Bart"]["id"])
    await harness.say(users["Anne"], group, "/taal fr")
    assert "I do not know that language" in harness.last_text(group)


async def test_help_per_role_and_menus_per_scope_and_language(harness: Harness) -> None:
    core = harness.core
    group, users = group_with(core, "Anne", "Bart")
    await harness.add_bot(group, users["Anne"])
    await harness.say(users["Anne"], group, "/help")
    card = harness.last_from_bot(group)
    assert "Volgende stap:" in card["text"] and len(card["text"]) < 1000
    assert [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row] == [
        "📚 Thema's uit een lijst", "📋 Alle commando's",
    ]
    await harness.say(users["Bart"], group, "/help")
    assert "Voor de moderator" not in harness.last_text(group)
    assert "Je doet nog niet mee" in harness.last_text(group)
    await harness.say(users["Bart"], users["Bart"]["id"], "/start")
    assert "Je zit nog in geen enkele kopgroep" in harness.last_text(users["Bart"]["id"])

    commands = core.commands
    scopes = {(scope, lang) for scope, lang in commands if "all_" in scope}
    assert len(scopes) == 4  # private chats and groups x (default, en); moderators get theirs per group
    private_nl = next(v for (scope, lang), v in commands.items() if "all_private_chats" in scope and not lang)
    assert [c["command"] for c in private_nl] == [
        "help", "groep", "taal", "stembiljet", "begrip", "droombeelden", "sjabloon", "doelen", "mijngegevens", "vergeetmij",
        "evaluatie",
    ]
    private_en = next(v for (scope, lang), v in commands.items() if "all_private_chats" in scope and lang == "en")
    assert private_en[0]["description"] == "Explanation and commands"


async def test_unknown_command_and_unexpected_input_in_private(harness: Harness) -> None:
    core = harness.core
    user = core.add_user("Eva")
    await harness.say(user, user["id"], "/bestaatniet")
    assert "Dat commando ken ik niet" in harness.last_text(user["id"])
    await harness.say(user, user["id"], "hallo?")
    assert "Ik verwacht op dit moment geen bericht" in harness.last_text(user["id"])


async def test_removed_and_added_again(harness: Harness) -> None:
    core = harness.core
    group, users = group_with(core, "Anne", "Bart")
    await harness.add_bot(group, users["Anne"])
    await harness.say(users["Anne"], group, "/organisatie Gemeente Zottegem")
    token = (await harness.db.run(trajectories.by_chat, group["id"])).join_token
    core.remove_bot_from_group(group, users["Anne"])
    await harness.run()
    assert not (await harness.db.run(trajectories.by_chat, group["id"])).active
    core.open_deep_link(users["Bart"], token)
    await harness.run()
    assert "werkt niet" in harness.last_text(users["Bart"]["id"])
    await harness.add_bot(group, users["Anne"])
    assert "Ik ben terug in deze groep" in harness.last_text(group)
    again = await harness.db.run(trajectories.by_chat, group["id"])
    assert again.active and again.organisation == "Gemeente Zottegem" and again.join_token == token


async def test_unregistered_group_can_be_registered_by_an_admin(harness: Harness) -> None:
    core = harness.core
    group, users = group_with(core, "Anne", "Bart")
    core.set_bot_status(group, "member")  # the bot was added while it was offline
    await harness.say(users["Bart"], group, "/leden")
    assert "nog niet ingeschreven" in harness.last_text(group)
    await harness.say(users["Bart"], group, "/start")
    assert "Alleen een beheerder" in harness.last_text(group)
    await harness.say(users["Anne"], group, "/start")
    assert "hoe heet jullie organisatie" in harness.last_text(group)
