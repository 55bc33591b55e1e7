"""A closed trajectory is read-only (bot/read_only.py); guards fail closed; callback data with
numbers no table can hold is answered plainly (bot/keyboards/ids.py)."""

from __future__ import annotations

import pytest
from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.keyboards.ids import MAX_ROW_ID, out_of_range
from storage import evaluation, themes, voting
from storage.models import Trajectory
from tests.conversations.voting_helpers import ballot_message, voting_group
from tests.harness import Harness
from tests.reliability.events_helpers import trajectory_of

CLOSED_NL = "Deze kopgroep werd afgesloten"
CLOSED_EN = "This steering group was closed"


async def closed_group(harness: Harness, language: str = "nl") -> tuple[dict, list[dict], int]:
    """A group with members and themes whose moderator closed the trajectory with /afsluiten."""
    group, members, _ = await voting_group(harness, members=3, themes=4, language=language)
    trajectory = await trajectory_of(harness, group)
    await harness.say(members[0], group, "/afsluiten")
    await harness.press(members[0], harness.last_from_bot(group), f"tcl:{trajectory.id}:ok")
    assert await harness.db.run(evaluation.trajectory_closed_at, trajectory.id) is not None
    return group, members, trajectory.id


def last_answer(harness: Harness) -> str:
    return harness.core.callback_queries[next(reversed(harness.core.callback_queries))]["answer"]["text"]


async def test_catalogue_after_closing_adds_nothing(harness: Harness) -> None:
    group, members, tid = await closed_group(harness)
    anne = members[0]
    before = len(await harness.db.run(themes.list_themes, tid))
    await harness.say(anne, group, "/catalogus")
    text = harness.last_text(group)
    assert text.startswith(CLOSED_NL) and "er kan niets meer bij of veranderen" in text
    assert "/rapport" in text and "/export" in text and "/mijngegevens" in text
    # The catalogue's button, from before or forged: refused in a pop-up, nothing added.
    query = await harness.forge_press(anne, harness.last_from_bot(group), f"cat:{tid}:sdg")
    assert harness.core.callback_queries[query]["answer"]["text"].startswith(
        "Deze kopgroep is afgesloten: er kan niets meer veranderen."
    )
    assert len(await harness.db.run(themes.list_themes, tid)) == before
    assert harness.errors == []


@pytest.mark.parametrize(
    "command",
    [
        "/stemronde",
        "/stemregel 3",
        "/thema 1 naam Iets anders",
        "/importeer",
        "/vragen nieuw Wat nu?",
        "/droombeelden",
        "/dialoog",
        "/sessie",
        "/herstel",
        "/begrip MVO = iets",
        "/uitnodiging",
        "/evaluatie sluiten",
    ],
)
async def test_every_change_in_the_group_is_refused(harness: Harness, command: str) -> None:
    group, members, tid = await closed_group(harness)
    rounds_before = await harness.db.run(voting.closed_rounds, tid)
    await harness.say(members[0], group, command)
    assert harness.last_text(group).startswith(CLOSED_NL), (command, harness.last_text(group))
    assert await harness.db.run(voting.open_round_of, tid) is None
    assert await harness.db.run(voting.closed_rounds, tid) == rounds_before


@pytest.mark.parametrize(
    ("command", "shows"),
    [("/themas", "Thema 1"), ("/thema 1", "Thema 1"), ("/stemregel", "3"), ("/leden", "Anne"), ("/help", "")],
)
async def test_what_changes_nothing_still_works(harness: Harness, command: str, shows: str) -> None:
    group, members, _ = await closed_group(harness)
    await harness.say(members[1], group, command)
    assert not harness.last_text(group).startswith(CLOSED_NL) and shows in harness.last_text(group)


async def test_closed_in_english_and_in_private(harness: Harness) -> None:
    group, members, _ = await closed_group(harness, language="en")
    await harness.say(members[0], group, "/catalogus")
    assert harness.last_text(group).startswith(CLOSED_EN) and "What still works" in harness.last_text(group)
    bart = members[1]
    await harness.say(bart, bart["id"], "/stembiljet")
    text = harness.last_text(bart["id"])
    assert text.startswith(CLOSED_EN) and "/mijngegevens" in text and "/groep" in text
    await harness.say(bart, bart["id"], "Nog een droombeeld")
    assert harness.last_text(bart["id"]).startswith(CLOSED_EN)
    await harness.say(bart, bart["id"], "/mijngegevens")
    assert not harness.last_text(bart["id"]).startswith(CLOSED_EN)


async def test_nobody_joins_a_closed_trajectory(harness: Harness) -> None:
    group, _, tid = await closed_group(harness)
    dana = harness.core.add_user("Dana")
    harness.core.add_member(group, dana)
    await harness.follow_join_button(dana, harness.core.sent_messages(group["id"])[0])
    assert harness.last_text(dana["id"]).startswith("Deze uitnodiging werkt niet (meer).")


# --- guards fail closed ---------------------------------------------------------------------------


def spy_first(harness: Harness) -> list[Update]:
    """A catch-all button and message handler put first in group 0: it sees what gets past the guard."""
    seen: list[Update] = []

    async def spy(update: Update, context: object) -> None:
        seen.append(update)

    harness.app.handlers[0].insert(0, CallbackQueryHandler(spy))
    harness.app.handlers[0].insert(0, MessageHandler(filters.ALL, spy))
    return seen


async def test_an_empty_press_whose_answer_fails_goes_no_further(harness: Harness) -> None:
    group, members, _ = await voting_group(harness, members=2, themes=4)
    seen = spy_first(harness)
    harness.core.fail("answerCallbackQuery", kind="500", times=None)
    await harness.forge_press(members[0], harness.last_from_bot(group), "")
    assert seen == []  # PTB would hand it to the first button handler of group 0
    assert harness.errors, "the failure is reported to the error handlers"
    harness.errors.clear()


async def test_a_guard_that_raises_stops_the_update(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    from storage import people

    group, members, _ = await voting_group(harness, members=2, themes=4)
    seen = spy_first(harness)

    def broken(*args: object) -> None:
        raise RuntimeError("a bug in the guard")

    monkeypatch.setattr(people, "identify_in_group", broken)
    await harness.say(members[0], group, "/stemronde")
    assert seen == []
    tid = (await trajectory_of(harness, group)).id
    assert await harness.db.run(voting.open_round_of, tid) is None
    assert harness.last_text(group) == "Er ging iets mis aan mijn kant. Er is niets verloren; probeer het zo nog eens."
    assert [type(e) for e in harness.errors] == [RuntimeError]
    harness.errors.clear()


# --- numbers the database can hold ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "vote:100000000000000000000:1:1",
        "vote:2147483648:1:3",
        "vinfo:1:99999999999",
        "lang:g99999999999:nl",
        "dth:2147483648:1",
        "mod:1:99999999999999999",
        "gl:9999999999:S",
    ],
)
async def test_numbers_too_large_are_answered_plainly(harness: Harness, data: str) -> None:
    group, members, _ = await voting_group(harness, members=2, themes=4)
    await harness.say(members[0], group, "/stemronde")
    for chat_message in (ballot_message(harness.core, members[1]), harness.last_from_bot(group)):
        query = await harness.forge_press(members[1], chat_message, data)
        assert harness.core.callback_queries[query]["answer"]["text"] == (
            "Deze knop klopt niet: een getal erin is te groot. Gebruik de knoppen van het laatste bericht van de bot."
        )
    assert harness.errors == []


async def test_the_largest_id_is_an_ordinary_refusal(harness: Harness) -> None:
    group, members, _ = await voting_group(harness, members=2, themes=4)
    await harness.say(members[0], group, "/stemronde")
    ballot = ballot_message(harness.core, members[1])
    query = await harness.forge_press(members[1], ballot, f"vote:{MAX_ROW_ID}:{MAX_ROW_ID}:1")
    assert harness.core.callback_queries[query]["answer"]["text"] == "Dit stembiljet is niet voor jou."
    # Other digits than 0-9 match no pattern: an old or foreign button.
    query = await harness.forge_press(members[1], ballot, "vote:١:١:1")
    assert harness.core.callback_queries[query]["answer"]["text"] == "Deze knop is niet meer geldig."
    assert harness.errors == []


def test_range_check() -> None:
    assert not out_of_range(f"vote:{2**31 - 1}:1:3")
    assert out_of_range(f"vote:{2**31}:1:3")
    assert not out_of_range(f"mod:1:{2**40}")  # a Telegram user id may be that large
    assert out_of_range(f"mod:{2**40}:1")
    assert out_of_range("x" * 10 + "9" * 40)
    assert not out_of_range("vsubmit:12")
    assert Trajectory.__table__.c.id.type.python_type is int


async def test_a_round_left_open_takes_no_vote_after_closing(harness: Harness) -> None:
    group, members, themes_ = await voting_group(harness, members=3, themes=4)
    await harness.say(members[0], group, "/stemronde")
    ballot = ballot_message(harness.core, members[1])
    tid = (await trajectory_of(harness, group)).id
    await harness.say(members[0], group, "/afsluiten")
    await harness.press(members[0], harness.last_from_bot(group), f"tcl:{tid}:ok")
    round_id = ballot["reply_markup"]["inline_keyboard"][0][0]["callback_data"].split(":")[1]
    # A score press skips the guard's lookup (bot/guards.py): its own unit of work refuses it.
    query = await harness.forge_press(members[1], ballot, f"vote:{round_id}:{themes_[0]}:3")
    assert harness.core.callback_queries[query]["answer"]["text"] == "Deze stemronde is gesloten."
    query = await harness.forge_press(members[1], ballot, f"vsubmit:{round_id}")
    assert harness.core.callback_queries[query]["answer"]["text"].startswith("Deze kopgroep is afgesloten")
    assert await harness.db.run(voting.progress, int(round_id)) == (0, 3)


async def test_files_after_closing(harness: Harness) -> None:
    group, members, tid = await closed_group(harness)
    anne, bart = members[0], members[1]
    themes_before = await harness.db.run(themes.list_themes, tid)
    # A file shared in the group is conversation: the bot stays quiet.
    before = len(harness.bot_texts(group))
    harness.core.send_document(bart, group, "verslag.pdf", b"%PDF-1.4", "application/pdf")
    await harness.run()
    assert len(harness.bot_texts(group)) == before
    # With /herstel as its caption it would change the trajectory: refused.
    harness.core.send_document(anne, group, "archief.zip", b"PK", "application/zip", caption="/herstel")
    await harness.run()
    assert harness.last_text(group).startswith(CLOSED_NL)
    # In private a file is a scan or a filled template: refused.
    harness.core.send_document(anne, anne["id"], "scan.csv", b"thema\nWater\n", "text/csv")
    await harness.run()
    assert harness.last_text(anne["id"]).startswith(CLOSED_NL)
    assert await harness.db.run(themes.list_themes, tid) == themes_before


@pytest.mark.parametrize(
    ("data", "refused"),
    [("next:7:nieuwtraject", False), ("next:7:alles", False), ("next:7:stemronde", True), ("next:7:sessie", True)],
)
def test_the_next_step_card_in_a_closed_group_offers_only_the_next_trajectory(data: str, refused: bool) -> None:
    from telegram import CallbackQuery, Update, User

    from bot.read_only import changes_closed

    press = Update(1, callback_query=CallbackQuery("1", User(5, "Anne", False), "chat", data=data))
    assert changes_closed(press, private=False) is refused
