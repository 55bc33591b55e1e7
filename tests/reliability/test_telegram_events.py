"""Telegram events the bot must survive: a supergroup upgrade, removal and return, people leaving,
blocking, edited messages, forum topics, names without username or far too long."""

from __future__ import annotations

from sqlalchemy import func, select

from storage import people, prompts, voting
from storage.models import Membership, Prompt, Trajectory
from tests.harness import Harness
from tests.reliability.events_helpers import command, deliver, group_of, message, trajectory_of


async def test_group_upgraded_to_supergroup_keeps_everything(harness: Harness) -> None:
    core = harness.core
    group, users = await group_of(harness, "Anne", "Bart")
    anne, bart = users["Anne"], users["Bart"]
    before = await trajectory_of(harness, group)
    await harness.say(anne, group, "/organisatie")  # an open question in the old chat (a prompt row)
    supergroup = core.add_group("Kopgroep MVO", supergroup=True)
    for user, status in ((anne, "creator"), (bart, "member")):
        core.add_member(supergroup, user, status)
    core.set_bot_status(supergroup, "member")

    # Telegram tells the old group and the new supergroup; both arrive, in either order.
    await deliver(harness, "message", message(group, anne, migrate_to_chat_id=supergroup["id"]))
    await deliver(harness, "message", message(supergroup, anne, migrate_from_chat_id=group["id"]))

    after = await trajectory_of(harness, supergroup)
    assert after.id == before.id and after.organisation == "Gemeente Zottegem" and after.join_token == before.join_token
    assert await harness.db.run(lambda s: s.scalar(select(func.count()).select_from(Trajectory))) == 1
    assert await harness.db.run(prompts.find, group["id"], "organisation") is None
    assert await harness.db.run(prompts.find, supergroup["id"], "organisation") is not None
    assert await harness.db.run(lambda s: s.scalar(select(func.count()).where(Prompt.chat_id == group["id"]))) == 0
    # The group goes on in the supergroup: the moderator is still moderator, members still joined.
    await harness.say(anne, supergroup, "/organisatie Stad Gent")
    assert (await trajectory_of(harness, supergroup)).organisation == "Stad Gent"
    await harness.say(bart, supergroup, "/leden")
    assert "Anne" in harness.last_text(supergroup) and "Bart" in harness.last_text(supergroup)


async def test_upgrade_message_twice_or_for_an_unknown_group_changes_nothing(harness: Harness) -> None:
    core = harness.core
    group, users = await group_of(harness, "Anne")
    supergroup = core.add_group("Kopgroep MVO", supergroup=True)
    core.add_member(supergroup, users["Anne"], "creator")
    core.set_bot_status(supergroup, "member")
    for _ in range(2):
        await deliver(harness, "message", message(group, users["Anne"], migrate_to_chat_id=supergroup["id"]))
    stranger = core.add_group("Andere groep")
    core.add_member(stranger, users["Anne"], "creator")
    await deliver(harness, "message", message(stranger, users["Anne"], migrate_to_chat_id=-100777))
    assert (await trajectory_of(harness, supergroup)).organisation == "Gemeente Zottegem"
    assert await harness.db.run(lambda s: s.scalar(select(func.count()).select_from(Trajectory))) == 1


async def test_removed_and_added_again_keeps_one_trajectory_and_its_members(harness: Harness) -> None:
    core = harness.core
    group, users = await group_of(harness, "Anne", "Bart")
    before = await trajectory_of(harness, group)
    core.remove_bot_from_group(group, users["Bart"])
    await harness.run()
    await harness.add_bot(group, users["Bart"])
    after = await trajectory_of(harness, group)
    assert after.id == before.id and after.active
    assert await harness.db.run(lambda s: s.scalar(select(func.count()).select_from(Trajectory))) == 1
    # Anne stays the only moderator: Bart re-adding the bot does not make him one.
    assert await harness.db.run(people.moderator_ids, after.id) == {users["Anne"]["id"]}
    assert len(await harness.db.run(people.members, after.id)) == 2


async def test_moderator_leaving_is_announced_and_an_admin_takes_over(harness: Harness) -> None:
    core = harness.core
    group, users = await group_of(harness, "Anne", "Bart", "Chris")
    anne, bart, chris = users["Anne"], users["Bart"], users["Chris"]
    trajectory = await trajectory_of(harness, group)
    core.add_member(group, bart, "administrator")

    # Bart (not an admin's co-moderator yet) cannot use /moderator while Anne moderates.
    await harness.say(bart, group, "/moderator")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."

    await deliver(harness, "message", message(group, anne, left_chat_member=anne))
    assert harness.last_text(group) == (
        "Anne heeft de groep verlaten en is geen moderator meer. Er is nu geen moderator meer. "
        "Beheerders van de groep: kies hieronder wie moderator wordt. Alleen een beheerder kan kiezen."
    )
    buttons = [b["text"] for row in harness.last_from_bot(group)["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["Bart"]  # the group's admins but the one who left
    assert await harness.db.run(people.moderator_ids, trajectory.id) == set()
    # Chris is no admin: he cannot take over; Bart is, and does.
    await harness.say(chris, group, "/moderator")
    assert harness.last_text(group).startswith("Chris is geen beheerder van de groep.")
    assert await harness.db.run(people.moderator_ids, trajectory.id) == set()
    await harness.say(bart, group, "/moderator")
    assert harness.last_text(group) == "Bart is nu moderator van deze kopgroep en neemt het over."
    assert await harness.db.run(people.moderator_ids, trajectory.id) == {bart["id"]}
    # A second moderator leaving while Bart stays: the group hears Bart still moderates.
    await harness.db.run(people.make_moderator, trajectory.id, people_user(chris))
    await deliver(harness, "message", message(group, chris, left_chat_member=chris))
    assert harness.last_text(group) == "Chris heeft de groep verlaten en is geen moderator meer. Bart blijft moderator."


def people_user(user: dict):  # type: ignore[no-untyped-def]
    from storage.records import TelegramUser

    return TelegramUser(user["id"], user["first_name"], user.get("last_name"), user.get("username"))


async def test_a_member_who_left_gets_no_ballot_and_does_not_count_for_the_quorum(harness: Harness) -> None:
    from tests.conversations.voting_helpers import voting_group

    group, members, _ = await voting_group(harness, members=4, themes=5)
    await deliver(harness, "message", message(group, members[3], left_chat_member=members[3]))
    await harness.say(members[0], group, "/stemronde")
    round_ = await harness.db.run(voting.open_round_of, (await trajectory_of(harness, group)).id)
    assert round_ is not None and round_.members == 3
    assert not any("vote:" in str(m.get("reply_markup")) for m in harness.core.sent_messages(members[3]["id"]))


async def test_blocked_member_is_marked_unreachable_and_the_bot_goes_on(harness: Harness) -> None:
    core = harness.core
    group, users = await group_of(harness, "Anne", "Bart")
    core.block_bot(users["Bart"])
    await harness.run()
    assert await harness.db.run(lambda s: s.scalar(select(func.count()).select_from(Membership))) == 2
    trajectory = await trajectory_of(harness, group)
    members = {m.person.first_name: m.person.reachable for m in await harness.db.run(people.members, trajectory.id)}
    assert members == {"Anne": True, "Bart": False}
    await harness.say(users["Anne"], group, "/leden")
    assert "Bart" in harness.last_text(group)


async def test_edited_messages_are_not_taken_twice(harness: Harness) -> None:
    core = harness.core
    group, users = await group_of(harness, "Anne", "Bart")
    anne = users["Anne"]
    await harness.say(anne, group, "/thema nieuw Duurzaam aankopen")
    sent = core.messages(group["id"])
    own = next(m for m in reversed(sent) if m.get("from", {}).get("id") == anne["id"])
    before = len(harness.bot_texts(group))
    core.edit_message(anne, own, "/thema nieuw Mobiliteit")
    await harness.run()
    assert len(harness.bot_texts(group)) == before  # quiet in the group, nothing run again
    await harness.say(anne, group, "/themas")
    assert "Duurzaam aankopen" in harness.last_text(group) and "Mobiliteit" not in harness.last_text(group)
    # In private, the member hears how to change what they sent.
    await harness.say(anne, anne["id"], "hallo")
    mine = next(m for m in reversed(core.messages(anne["id"])) if m.get("from", {}).get("id") == anne["id"])
    core.edit_message(anne, mine, "hallo daar")
    await harness.run()
    assert "alleen nieuwe berichten" in harness.last_text(anne["id"])


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


async def test_answers_in_a_forum_topic_go_to_that_topic(harness: Harness) -> None:
    group, users = await group_of(harness, "Anne", supergroup=True)
    forum = {**group, "is_forum": True}
    await deliver(
        harness, "message", command(forum, users["Anne"], "/help", message_thread_id=77, is_topic_message=True)
    )
    call = harness.core.calls_of("sendMessage")[-1]
    assert call.ok and call.params["chat_id"] == group["id"] and call.params.get("message_thread_id") == 77
    # A picture goes to the topic too, with its caption.
    from bot.messaging import follow_topic, send_picture

    follow_topic(group["id"], 77)
    await send_picture(harness.app.bot, group["id"], PNG, "stemronde-1.png", "📊 <b>Stemronde 1</b>")
    follow_topic(None, None)
    photo = harness.core.calls_of("sendPhoto")[-1]
    assert photo.ok and photo.params.get("message_thread_id") == 77 and photo.params["caption"] == "📊 <b>Stemronde 1</b>"
    # A message outside a topic is answered in the main thread; other chats never get the topic.
    await deliver(harness, "message", command(forum, users["Anne"], "/help"))
    assert "message_thread_id" not in harness.core.calls_of("sendMessage")[-1].params


async def test_no_username_and_very_long_names_are_escaped_and_shortened(harness: Harness) -> None:
    core = harness.core
    group = core.add_group("Kopgroep")
    anne = core.add_user("Anne")
    long_name = core.add_user("<b>Maximiliaan</b> " + "X" * 50, last_name="&amp; " + "Y" * 60)
    for user, status in ((anne, "creator"), (long_name, "member")):
        core.add_member(group, user, status)
    await harness.add_bot(group, anne)
    await harness.follow_join_button(long_name, core.sent_messages(group["id"])[0])
    await harness.say(anne, group, "/leden")
    shown = harness.last_text(group)
    assert "<b>Maximiliaan</b> XXXX" in shown  # shown as typed, not as markup
    line = next(part for part in shown.split("\n") if "Maximiliaan" in part)
    assert "…" in line and "Y" * 60 not in line
    assert harness.core.calls_of("sendMessage")[-1].ok


async def test_a_send_to_the_old_group_id_follows_to_the_supergroup(harness: Harness) -> None:
    """Telegram answers "group chat was upgraded to a supergroup" (ChatMigrated) to a send to the
    old id, e.g. from a job that ran before the migrate notice was handled: the message follows."""
    from telegram.error import ChatMigrated

    from bot.messaging import send_html

    core = harness.core
    group, users = await group_of(harness, "Anne")
    supergroup = core.add_group("Kopgroep MVO", supergroup=True)
    core.add_member(supergroup, users["Anne"], "creator")
    core.set_bot_status(supergroup, "member")
    bot = harness.app.bot

    class UpgradedBot:
        """The bot, with Telegram refusing the old id as it does after an upgrade."""

        async def send_message(self, chat_id: int, *args, **kwargs):  # type: ignore[no-untyped-def]
            if chat_id == group["id"]:
                raise ChatMigrated(supergroup["id"])
            return await bot.send_message(chat_id, *args, **kwargs)

    await send_html(UpgradedBot(), group["id"], "De sessie begint <b>morgen</b>.")  # type: ignore[arg-type]
    assert harness.last_text(supergroup) == "De sessie begint morgen."
