"""Only the group's members get in (bot/membership.py, conversations/leaving.py): joining by the
link, every ballot checked again when it is sent, leaving, coming back, no moderator left."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.membership import MembershipCache
from storage import people, voting
from storage.models import Membership, Person
from tests.conversations.voting_helpers import ballot_message, cast, round_id_of, voting_group
from tests.harness import Harness
from tests.reliability.events_helpers import deliver, message, trajectory_of


async def status_of(harness: Harness, telegram_id: int) -> tuple[str, str] | None:
    """(status, role) of the person's membership, or None."""

    def read(session):  # type: ignore[no-untyped-def]
        row = session.execute(
            select(Membership.status, Membership.role)
            .join(Person, Person.id == Membership.person_id)
            .where(Person.telegram_id == telegram_id)
        ).first()
        return None if row is None else (row[0], row[1])

    return await harness.db.run(read)


def has_ballot(harness: Harness, user: dict) -> bool:
    return any("vote:" in str(m.get("reply_markup")) for m in harness.core.sent_messages(user["id"]))


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("nl", "Je kan alleen meedoen als je lid bent van de Telegram-groep van deze kopgroep."),
        ("en", "You can only join if you are a member of this steering group's Telegram group."),
    ],
)
async def test_an_outsider_with_the_link_is_refused(harness: Harness, language: str, refusal: str) -> None:
    core = harness.core
    group, members, _ = await voting_group(harness, members=2, themes=4, language=language)
    outsider = core.add_user("Olaf")  # has the link (forwarded), is not in the Telegram group
    welcome = core.sent_messages(group["id"])[0]
    await harness.follow_join_button(outsider, welcome)
    assert harness.last_text(outsider["id"]).startswith(refusal)
    assert await status_of(harness, outsider["id"]) is None
    # No ballot for them either: the round goes to the two members.
    await harness.say(members[0], group, "/stemronde")
    assert not has_ballot(harness, outsider)
    round_ = await harness.db.run(voting.open_round_of, (await trajectory_of(harness, group)).id)
    assert round_ is not None and round_.members == 2
    assert harness.errors == []


@pytest.mark.parametrize(
    ("status", "joins"), [("restricted", True), ("restricted_left", False), ("kicked", False), ("administrator", True)]
)
async def test_who_counts_as_in_the_group(harness: Harness, status: str, joins: bool) -> None:
    core = harness.core
    group, _, _ = await voting_group(harness, members=1, themes=4)
    dana = core.add_user("Dana")
    core.set_member_status(group, dana, status)
    await harness.follow_join_button(dana, core.sent_messages(group["id"])[0])
    assert (await status_of(harness, dana["id"]) == ("joined", "member")) is joins


async def test_telegram_that_cannot_answer_refuses_for_now(harness: Harness) -> None:
    core = harness.core
    group, _, _ = await voting_group(harness, members=1, themes=4)
    dana = core.add_user("Dana")
    core.add_member(group, dana)
    core.fail("getChatMember", kind="500", times=None)
    await harness.follow_join_button(dana, core.sent_messages(group["id"])[0])
    assert harness.last_text(dana["id"]).startswith("Telegram kon even niet bevestigen dat je in de groep zit.")
    assert await status_of(harness, dana["id"]) is None
    core.clear_faults()
    await harness.follow_join_button(dana, core.sent_messages(group["id"])[0])
    assert await status_of(harness, dana["id"]) == ("joined", "member")


async def test_a_member_who_left_gets_no_ballot_and_is_not_counted(harness: Harness) -> None:
    core = harness.core
    group, members, _ = await voting_group(harness, members=4, themes=4)
    core.leave_group(group, members[3])
    await harness.run()
    assert await status_of(harness, members[3]["id"]) == ("left", "member")
    await harness.say(members[0], group, "/stemronde")
    assert not has_ballot(harness, members[3])
    round_ = await harness.db.run(voting.open_round_of, (await trajectory_of(harness, group)).id)
    assert round_ is not None and round_.members == 3


async def test_leaving_unseen_is_found_when_the_ballot_is_sent(harness: Harness) -> None:
    """The bot missed the leave (it was away, or not admin): the send-time check finds it."""
    core = harness.core
    group, members, _ = await voting_group(harness, members=4, themes=4)
    harness.app.bot_data["services"].membership.clear()  # nothing known from the joins
    core.set_member_status(group, members[2], "left")
    await harness.say(members[0], group, "/stemronde")
    assert not has_ballot(harness, members[2])
    assert all(has_ballot(harness, m) for m in (members[0], members[1], members[3]))
    trajectory = await trajectory_of(harness, group)
    round_ = await harness.db.run(voting.open_round_of, trajectory.id)
    assert round_ is not None and round_.members == 3
    assert await harness.db.run(voting.progress, round_.id) == (0, 3)
    assert await status_of(harness, members[2]["id"]) == ("left", "member")
    assert "0 van 3" in harness.last_text(group)  # the progress message counts who is still in
    # Not one "could not deliver" for them: they are gone, not unreachable.
    assert not any("niet bezorgd" in text or "niet aan" in text for text in harness.bot_texts(group)[-2:])


async def test_one_question_to_telegram_per_member_within_the_cache_time(harness: Harness) -> None:
    core = harness.core
    group, members, _ = await voting_group(harness, members=3, themes=4)
    harness.app.bot_data["services"].membership.clear()
    before = len(core.calls_of("getChatMember"))
    await harness.say(members[0], group, "/stemronde")
    # One per ballot, but none for Anne: she just wrote /stemronde in the group, so she is in it.
    assert len(core.calls_of("getChatMember")) == before + 2
    await harness.say(members[0], group, "/sluitronde annuleer")
    await harness.say(members[0], group, "/stemronde")
    assert sum(has_ballot(harness, m) for m in members) == 3
    assert len(core.calls_of("getChatMember")) == before + 2  # the answers of a moment ago


def test_the_cache_forgets_after_its_time() -> None:
    now = [0.0]
    cache = MembershipCache(ttl=120, clock=lambda: now[0])
    cache.put(-1, 7, True)
    assert cache.get(-1, 7) is True
    now[0] = 119.0
    assert cache.get(-1, 7) is True
    now[0] = 120.0
    assert cache.get(-1, 7) is None
    cache.put(-1, 7, False)
    assert cache.get(-1, 7) is False


async def test_a_ballot_submitted_before_leaving_still_counts_and_is_frozen(harness: Harness) -> None:
    core = harness.core
    group, members, themes = await voting_group(harness, members=4, themes=4)
    await harness.say(members[0], group, "/stemronde")
    trajectory = await trajectory_of(harness, group)
    round_ = await harness.db.run(voting.open_round_of, trajectory.id)
    assert round_ is not None
    await cast(harness, members[2], {t: 3 for t in themes})
    await cast(harness, members[3], {themes[0]: 1}, submit=False)
    ballot = ballot_message(core, members[2])
    core.leave_group(group, members[2])  # voted, then left
    core.leave_group(group, members[3])  # started, did not submit, left
    await harness.run()
    # Chris's submitted ballot counts (and him with it); Dirk is no longer waited for.
    assert await harness.db.run(voting.progress, round_.id) == (1, 3)
    # Chris cannot change his ballot any more.
    await harness.press(members[2], ballot, f"vote:{round_id_of(ballot)}:{themes[0]}:1")
    answer = core.callback_queries[next(reversed(core.callback_queries))]["answer"]
    assert answer["text"] == "Dit stembiljet is niet voor jou."
    await cast(harness, members[0], {t: 2 for t in themes})
    await cast(harness, members[1], {t: 2 for t in themes})
    chris_before, dirk_before = harness.bot_texts(members[2]["id"]), harness.bot_texts(members[3]["id"])
    anne_before = len(harness.bot_texts(members[0]["id"]))
    await harness.say(members[0], group, "/sluitronde")
    closed = await harness.db.run(voting.get_round, round_.id)
    assert closed is not None and closed.status == "closed"
    results = harness.bot_texts(group)
    result = next(text for text in reversed(results) if text.startswith("Uitslag stemronde 1"))
    assert "3 van de 3 leden stemden." in result
    assert (
        "Wie tijdens de ronde de groep verliet, telt niet meer mee bij de leden; een stem die al ingediend was, telt wel."
        in result
    )
    # Feedback goes to those still in the group, not to the two who left.
    assert harness.bot_texts(members[2]["id"]) == chris_before
    assert harness.bot_texts(members[3]["id"]) == dirk_before
    assert len(harness.bot_texts(members[0]["id"])) > anne_before
    assert harness.errors == []


async def test_a_returning_former_moderator_is_a_member(harness: Harness) -> None:
    core = harness.core
    group, members, themes = await voting_group(harness, members=4, themes=4)
    anne, bart = members[0], members[1]
    trajectory = await trajectory_of(harness, group)
    await harness.db.run(people.make_moderator, trajectory.id, people.TelegramUser(bart["id"], "Bart"))
    await harness.say(anne, group, "/stemronde")
    core.leave_group(group, bart)
    await harness.run()
    assert await status_of(harness, bart["id"]) == ("left", "member")
    core.join_group(group, bart)
    await harness.run()
    await harness.say(bart, group, "hallo")
    assert await status_of(harness, bart["id"]) == ("joined", "member")
    await harness.say(bart, group, "/sluitronde forceer")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    round_ = await harness.db.run(voting.open_round_of, trajectory.id)
    assert round_ is not None and round_.status == "open"
    assert await harness.db.run(people.moderator_ids, trajectory.id) == {anne["id"]}
    # Back as a member, Bart gets his ballot again and counts again.
    await harness.say(bart, bart["id"], "/stembiljet")
    assert has_ballot(harness, bart)
    assert (await harness.db.run(voting.get_round, round_.id)).members == 4


async def test_chat_member_updates_count_too(harness: Harness) -> None:
    core = harness.core
    group, members, _ = await voting_group(harness, members=3, themes=4)
    core.member_event(group, members[2], "kicked", by=members[0])
    await harness.run()
    assert await status_of(harness, members[2]["id"]) == ("left", "member")
    core.member_event(group, members[2], "member", by=members[0])
    await harness.run()
    assert await status_of(harness, members[2]["id"]) == ("joined", "member")


async def test_the_last_moderator_leaving_asks_the_admins_to_pick_one(harness: Harness) -> None:
    core = harness.core
    group, members, _ = await voting_group(harness, members=3, themes=4)
    anne, bart, chris = members
    core.set_member_status(group, bart, "administrator")
    trajectory = await trajectory_of(harness, group)
    core.leave_group(group, anne)
    await harness.run()
    ask = harness.last_from_bot(group)
    assert "kies hieronder wie moderator wordt" in ask["text"]
    buttons = {b["text"]: b["callback_data"] for row in ask["reply_markup"]["inline_keyboard"] for b in row}
    assert list(buttons) == ["Bart"]
    # Chris is no admin: his press changes nothing.
    await harness.press(chris, ask, buttons["Bart"])
    answer = core.callback_queries[next(reversed(core.callback_queries))]["answer"]
    assert answer["text"] == "Alleen een beheerder van de Telegram-groep kan de moderator kiezen."
    assert await harness.db.run(people.moderator_ids, trajectory.id) == set()
    # A forged pick of a non-admin by an admin: refused too.
    query = await harness.forge_press(bart, ask, f"mtk:{trajectory.id}:{chris['id']}")
    assert "geen beheerder" in core.callback_queries[query]["answer"]["text"]
    await harness.press(bart, ask, buttons["Bart"])
    assert harness.last_text(group) == "Bart is nu moderator van deze kopgroep en neemt het over."
    assert await harness.db.run(people.moderator_ids, trajectory.id) == {bart["id"]}
    # A second press once there is a moderator: said so, nothing changes.
    query = await harness.forge_press(bart, ask, f"mtk:{trajectory.id}:{bart['id']}")
    assert core.callback_queries[query]["answer"]["text"] == "De kopgroep heeft al een moderator."
    assert harness.errors == []


async def test_the_moderator_left_text_names_the_one_who_stays(harness: Harness) -> None:
    group, members, _ = await voting_group(harness, members=3, themes=4)
    trajectory = await trajectory_of(harness, group)
    await harness.db.run(people.make_moderator, trajectory.id, people.TelegramUser(members[1]["id"], "Bart"))
    await deliver(harness, "message", message(group, members[0], left_chat_member=members[0]))
    assert harness.last_text(group) == "Anne heeft de groep verlaten en is geen moderator meer. Bart blijft moderator."
    assert harness.last_from_bot(group).get("reply_markup") is None
