"""The open dialogue end to end: questions, open and anonymous answers, digests, equal say."""

from __future__ import annotations

from typing import Any

from fake_telegram.core import FakeTelegram
from sqlalchemy import update

from storage import dialogue, trajectories
from storage.models import Person
from tests.harness import Harness

NAMES = ("Anne", "Bart", "Chris", "Dirk", "Els")


async def dialogue_group(
    harness: Harness,
    names: tuple[str, ...] = NAMES,
    *,
    title: str = "Kopgroep MVO",
    organisation: str = "Gemeente Zottegem",
    language: str = "nl",
    joined: tuple[str, ...] | None = None,
) -> tuple[dict, dict[str, dict]]:
    """A registered group; the first name is the moderator; ``joined`` pressed Doe mee (default: all)."""
    core = harness.core
    group = core.add_group(title)
    users: dict[str, dict] = {}
    for index, name in enumerate(names):
        users[name] = core.add_user(name, username=name.lower())
        core.add_member(group, users[name], "creator" if index == 0 else "member")
    await harness.add_bot(group, users[names[0]])
    await harness.say(users[names[0]], group, f"/organisatie {organisation}")
    if language != "nl":
        await harness.say(users[names[0]], group, f"/taal {language}")
    welcome = core.sent_messages(group["id"])[0]
    for name in names if joined is None else joined:
        await harness.follow_join_button(users[name], welcome)
    return group, users


def question_message(harness: Harness, group: dict) -> dict:
    """The bot's latest question message in the group."""
    for message in reversed(harness.core.sent_messages(group["id"])):
        text = message.get("text", "")
        if text.startswith(("Vraag ", "Question ")) or "\nVraag " in text or "\nQuestion " in text:
            return message
    raise AssertionError("no question in the group")


def texts_since(harness: Harness, chat: Any, before: int) -> str:
    return "\n".join(harness.bot_texts(chat)[before:])


def send_sticker(core: FakeTelegram, user: dict, chat: dict | int, *, reply_to: int | None = None) -> None:
    """A sticker (the fake has no helper for it): stored and delivered like any message."""
    with core.lock:
        u = core._user(user)
        state = core._writable_chat(u, chat)
        content: dict[str, Any] = {
            "sticker": {
                "file_id": "sticker-1",
                "file_unique_id": "s1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        }
        if reply_to is not None:
            content["reply_to_message"] = core._reply_copy(state, reply_to)
        stored = core._store(state, u, content)
        core._deliver(state, stored, "message")


async def trajectory_id(harness: Harness, group: dict) -> int:
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    assert trajectory is not None
    return trajectory.id


async def test_full_open_dialogue_with_replies_under_privacy_mode(harness: Harness) -> None:
    core = harness.core
    group, users = await dialogue_group(harness)
    anne, bart, chris, dirk = users["Anne"], users["Bart"], users["Chris"], users["Dirk"]

    await harness.say(bart, group, "/dialoog")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "/volgende")
    assert "Er loopt nu geen open dialoog" in harness.last_text(group)

    await harness.say(anne, group, "/dialoog")
    first = question_message(harness, group)
    text = harness.last_text(group)
    assert text.startswith("Open dialoog\nWe overlopen 8 vragen")
    assert "Vraag 1 van 8\nWelke thema's lijken je op het eerste zicht prioritair?" in text
    (asked,) = [c for c in core.calls_of("sendMessage") if c.ok and c.result["message_id"] == first["message_id"]]
    assert asked.params["reply_markup"]["force_reply"] is True  # members' apps answer as a reply
    await harness.say(anne, group, "/dialoog anoniem")
    assert "Er loopt al een open dialoog, bij vraag 1 van 8" in harness.last_text(group)

    before = len(harness.bot_texts(group))
    await harness.say(bart, group, "Duurzaam aankopen, zeker!", reply_to=first["message_id"])
    await harness.say(chris, group, "Toegankelijkheid <b>voor iedereen</b>", reply_to=first["message_id"])
    await harness.say(bart, group, "En ook gezondheid 🌱", reply_to=first["message_id"])
    # Dirk writes without replying: in privacy mode the bot never sees it.
    assert core.send_message(dirk, group, "Ik vind biodiversiteit belangrijk") is None
    assert len(harness.bot_texts(group)) == before  # answers are not thanked in the group

    await harness.say(anne, group, "/volgende")
    second = question_message(harness, group)
    assert second["message_id"] != first["message_id"]
    assert "Vraag 2 van 8\nWaarom zou je prioriteit geven aan dat specifiek thema?" in harness.last_text(group)
    # A late reply to the first question no longer counts; a reply to the second does.
    await harness.say(chris, group, "Nog iets over vraag 1", reply_to=first["message_id"])
    await harness.say(dirk, group, "Omdat het ons verschil maakt", reply_to=second["message_id"])

    for number in range(3, 9):
        await harness.say(anne, group, "/volgende")
        assert f"Vraag {number} van 8" in harness.last_text(group)
    await harness.say(anne, group, "/volgende")
    digest = texts_since(harness, group, before)
    assert "Verslag van de open dialoog" in digest
    assert "Dat was de laatste vraag: de dialoog is afgelopen. 4 antwoorden op 8 vragen." in digest
    assert "Bart: Duurzaam aankopen, zeker!" in digest
    assert "Chris: Toegankelijkheid <b>voor iedereen</b>" in digest  # shown as typed, not as HTML
    assert "Bart: En ook gezondheid 🌱" in digest
    assert "Dirk: Omdat het ons verschil maakt" in digest
    assert "biodiversiteit" not in digest and "Nog iets over vraag 1" not in digest
    assert digest.count("Geen antwoorden.") == 6

    stored = await harness.db.run(dialogue.last_digest, await trajectory_id(harness, group))
    assert stored is not None and stored.answers == 4 and not stored.dialogue.running
    assert [s.number for s in stored.sections] == list(range(1, 9))
    await harness.say(anne, group, "/volgende")
    assert "Er loopt nu geen open dialoog" in harness.last_text(group)


async def test_bot_as_admin_counts_plain_messages_too(harness: Harness) -> None:
    core = harness.core
    group, users = await dialogue_group(harness, ("Anne", "Bart", "Chris"))
    core.set_bot_status(group, "administrator")
    anne, bart, chris = users["Anne"], users["Bart"], users["Chris"]
    # Before the dialogue, chatting changes nothing.
    await harness.say(bart, group, "Goeiemorgen allemaal")
    await harness.say(anne, group, "/dialoog")
    question = question_message(harness, group)
    before = len(harness.bot_texts(group))
    await harness.say(bart, group, "Klimaat is voor mij prioritair")
    await harness.say(chris, group, "Eens met Bart")
    send_sticker(core, chris, group)  # a sticker in the conversation: ignored without a word
    await harness.run()
    assert len(harness.bot_texts(group)) == before
    send_sticker(core, chris, group, reply_to=question["message_id"])  # as an answer: explained
    await harness.run()
    assert harness.last_text(group) == "Ik kan alleen tekst noteren. Typ je antwoord gewoon als bericht."
    await harness.say(bart, group, "x" * 10_000, reply_to=question["message_id"])
    assert "Je antwoord is te lang (meer dan 2000 tekens)" in harness.last_text(group)
    await harness.say(anne, group, "/dialoog stop")
    digest = harness.last_text(group)
    assert "De moderator heeft de dialoog afgesloten. 2 antwoorden op 1 vraag." in digest
    assert "Bart: Klimaat is voor mij prioritair" in digest and "Chris: Eens met Bart" in digest
    assert "Goeiemorgen" not in digest and "xxxx" not in digest
    await harness.say(bart, group, "Nu telt dit niet meer")
    stored = await harness.db.run(dialogue.last_digest, await trajectory_id(harness, group))
    assert stored is not None and stored.answers == 2


async def test_full_anonymous_dialogue_with_four_members_shares_no_names(harness: Harness) -> None:
    core = harness.core
    group, users = await dialogue_group(harness)
    anne = users["Anne"]
    members = [users[name] for name in ("Bart", "Chris", "Dirk", "Els")]
    tid = await trajectory_id(harness, group)
    # Three questions are enough for the walk; the moderator removes the rest.
    for _ in range(5):
        await harness.say(anne, group, "/vragen verwijder 4")
    assert "3. Waar situeren zich volgens u de belangrijkste uitdagingen rond een thema?" in harness.last_text(group)

    dialogue_start = len(harness.bot_texts(group))
    await harness.say(anne, group, "/dialoog anoniem")
    first = question_message(harness, group)
    assert "Open dialoog – anoniem" in harness.last_text(group)
    assert "Stuur je antwoord privé naar mij" in harness.last_text(group)
    button = first["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "Antwoord privé" and button["url"] == "https://t.me/kopgroep_test_bot"

    answers = {
        1: ["Zeker duurzaam aankopen", "Toegankelijkheid van het gemeentehuis", "Afval sorteren op alle diensten"],
        2: ["Omdat burgers het merken"],
        3: [],
    }
    before_group = len(harness.bot_texts(group))
    for index, text in enumerate(answers[1]):
        await harness.say(members[index], members[index]["id"], text)
        assert harness.last_text(members[index]["id"]) == (
            "Dank je, je antwoord is anoniem genoteerd (vraag 1). Je mag nog meer sturen zolang de vraag openstaat."
        )
    # Els answers in the group by mistake: she gets a hint and it does not count.
    await harness.say(members[3], group, "Ik zeg het hier", reply_to=first["message_id"])
    assert "Deze ronde is anoniem: stuur je antwoord privé naar mij" in harness.last_text(group)
    # A sticker in private while a question is open: explained, nothing noted.
    send_sticker(core, members[3], members[3]["id"])
    await harness.run()
    assert harness.last_text(members[3]["id"]) == "Ik kan alleen tekst noteren. Typ je antwoord gewoon als bericht."
    await harness.say(members[3], members[3]["id"], "\x00\x07  ")
    assert harness.last_text(members[3]["id"]) == "Ik kreeg geen tekst. Typ je antwoord gewoon als bericht."

    await harness.say(anne, group, "/volgende")
    shared = texts_since(harness, group, before_group)
    assert "Anonieme antwoorden op vraag 1" in shared
    for text in answers[1]:
        assert f"• {text}" in shared
    assert "Vraag 2 van 3" in shared

    before_group = len(harness.bot_texts(group))
    await harness.say(members[3], members[3]["id"], answers[2][0])
    assert "(vraag 2)" in harness.last_text(members[3]["id"])
    await harness.say(anne, group, "/volgende")
    await harness.say(anne, group, "/volgende")
    shared = texts_since(harness, group, before_group)
    assert "• Omdat burgers het merken" in shared
    assert "Niemand stuurde een antwoord op deze vraag." not in shared  # question 3 ends in the digest
    assert "Verslag van de open dialoog (anoniem)" in shared
    assert "4 antwoorden op 3 vragen" in shared
    assert "Geen antwoorden." in shared  # question 3
    everything_shared = "\n".join(harness.bot_texts(group)[dialogue_start:])
    for name in ("Bart", "Chris", "Dirk", "Els"):
        assert name not in everything_shared
    # After the dialogue a private message is just unexpected again.
    await harness.say(members[0], members[0]["id"], "Nog een idee")
    assert "Ik verwacht op dit moment geen bericht" in harness.last_text(members[0]["id"])
    stored = await harness.db.run(dialogue.last_digest, tid)
    assert stored is not None
    assert all(answer.author is None for section in stored.sections for answer in section.answers)


async def test_private_message_during_an_open_dialogue_points_to_the_group(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne", "Bart"))
    await harness.say(users["Bart"], users["Bart"]["id"], "Hallo?")
    assert "Ik verwacht op dit moment geen bericht" in harness.last_text(users["Bart"]["id"])
    await harness.say(users["Anne"], group, "/dialoog")
    await harness.say(users["Bart"], users["Bart"]["id"], "Mijn antwoord")
    assert "je antwoordt in de groep zelf" in harness.last_text(users["Bart"]["id"])
    await harness.say(users["Anne"], group, "/dialoog stop")
    assert "0 antwoorden op 1 vraag" in harness.last_text(group)


async def test_a_member_in_two_groups_answers_anonymously(harness: Harness) -> None:
    core = harness.core
    first, users = await dialogue_group(harness, ("Anne", "Bart", "Chris"), organisation="Gemeente Zottegem")
    second = core.add_group("Kopgroep OCMW")
    chris = core.add_user("Chris2")  # someone only in the second group
    for user, status in ((users["Bart"], "creator"), (users["Anne"], "member"), (chris, "member")):
        core.add_member(second, user, status)
    bart = users["Bart"]
    await harness.add_bot(second, bart)
    await harness.say(bart, second, "/organisatie OCMW Zottegem")
    welcome = core.sent_messages(second["id"])[0]
    for user in (bart, users["Anne"], chris):
        await harness.follow_join_button(user, welcome)  # Bart's answers now go to the OCMW

    # Only the first group asks: the answer goes there even though the OCMW is Bart's current group.
    await harness.say(users["Anne"], first, "/dialoog anoniem")
    await harness.say(bart, bart["id"], "Antwoord voor de gemeente")
    assert "(vraag 1, kopgroep Gemeente Zottegem)" in harness.last_text(bart["id"])

    # Both ask: the current group (OCMW) gets it; after /groep, the other one.
    await harness.say(bart, second, "/dialoog anoniem")
    await harness.say(bart, bart["id"], "Antwoord voor het OCMW")
    assert "kopgroep OCMW Zottegem" in harness.last_text(bart["id"])
    await harness.say(bart, bart["id"], "/groep")
    await harness.press(bart, harness.last_from_bot(bart["id"]), text="Gemeente Zottegem")
    await harness.say(bart, bart["id"], "Nog een antwoord voor de gemeente")
    assert "kopgroep Gemeente Zottegem" in harness.last_text(bart["id"])

    # No current group and two groups asking: Bart chooses, then sends again.
    def forget_current(session) -> None:  # type: ignore[no-untyped-def]
        session.execute(update(Person).where(Person.telegram_id == bart["id"]).values(current_trajectory_id=None))

    await harness.db.run(forget_current)
    await harness.say(bart, bart["id"], "Waar gaat dit heen?")
    assert "Meer dan één kopgroep wacht op een anoniem antwoord" in harness.last_text(bart["id"])
    choice = harness.last_from_bot(bart["id"])
    await harness.press(bart, choice, text="OCMW Zottegem")
    await harness.say(bart, bart["id"], "Tweede antwoord voor het OCMW")
    assert "kopgroep OCMW Zottegem" in harness.last_text(bart["id"])

    await harness.say(users["Anne"], first, "/dialoog stop")
    town = harness.last_text(first)
    await harness.say(bart, second, "/dialoog stop")
    ocmw = harness.last_text(second)
    assert "• Antwoord voor de gemeente" in town and "• Nog een antwoord voor de gemeente" in town
    assert "OCMW" not in town and "Waar gaat dit heen" not in town
    assert "• Antwoord voor het OCMW" in ocmw and "• Tweede antwoord voor het OCMW" in ocmw
    assert "gemeente" not in ocmw and "Bart" not in ocmw


async def test_editing_questions(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne", "Bart"))
    anne, bart = users["Anne"], users["Bart"]
    await harness.say(bart, group, "/vragen")
    listed = harness.last_text(group)
    assert listed.startswith("Vragen voor de open dialoog\n1. Welke thema's lijken je op het eerste zicht prioritair?")
    assert "8. Wat zijn de voornaamste sterktes en lokale kansen?" in listed and "Aanpassen" not in listed
    await harness.say(bart, group, "/vragen nieuw Mijn vraag")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."

    await harness.say(anne, group, "/vragen nieuw   Wie   moeten we zeker betrekken? 🤝")
    assert harness.last_text(group).startswith("Vraag 9 is toegevoegd.")
    assert "9. Wie moeten we zeker betrekken? 🤝" in harness.last_text(group)
    await harness.say(anne, group, "/vragen wijzig 9 Welke externe stakeholders <b>betrekken</b> we?")
    assert "9. Welke externe stakeholders <b>betrekken</b> we?" in harness.last_text(group)
    await harness.say(anne, group, "/vragen verplaats 9 1")
    assert harness.last_text(group).startswith("De vraag staat nu op plaats 1.")
    assert "1. Welke externe stakeholders <b>betrekken</b> we?\n2. Welke thema's" in harness.last_text(group)
    await harness.say(anne, group, "/vragen verwijder 2")
    assert "2. Waarom zou je prioriteit geven" in harness.last_text(group)
    assert "Welke thema's lijken je" not in harness.last_text(group)

    tid = await trajectory_id(harness, group)
    unchanged = (await harness.db.run(dialogue.questions, tid)).questions
    bad = {
        "/vragen hernoem 3": "Dat begrijp ik niet",
        "/vragen wijzig": "Welke vraag bedoel je?",
        "/vragen wijzig drie Tekst": "Dat is geen geldig nummer",
        "/vragen wijzig 99 Tekst": "Er is geen vraag 99. De lijst telt 8 vragen",
        "/vragen wijzig 2": "Ik kreeg geen tekst voor de vraag",
        "/vragen nieuw \x00\x01": "Ik kreeg geen tekst voor de vraag",
        "/vragen nieuw    ": "Ik kreeg geen tekst voor de vraag",
        "/vragen nieuw " + "lang " * 2000: "Die vraag is te lang (meer dan 500 tekens)",
        "/vragen verwijder 0": "Dat is geen geldig nummer",
        "/vragen verwijder 12": "Er is geen vraag 12",
        "/vragen verplaats 2": "Naar welke plaats moet de vraag?",
        "/vragen verplaats 2 20": "Plaats 20 bestaat niet. Kies een plaats van 1 tot 8.",
        "/vragen verplaats 2 </i>": "Dat is geen geldig nummer",
    }
    for command, expected in bad.items():
        await harness.say(anne, group, command)
        assert expected in harness.last_text(group), command
    assert (await harness.db.run(dialogue.questions, tid)).questions == unchanged

    # While a dialogue runs, questions can be added and edited, not removed or moved.
    await harness.say(anne, group, "/dialoog")
    await harness.say(anne, group, "/vragen verwijder 3")
    assert "Tijdens een lopende dialoog kan je vragen toevoegen en wijzigen" in harness.last_text(group)
    await harness.say(anne, group, "/vragen verplaats 3 1")
    assert "Tijdens een lopende dialoog" in harness.last_text(group)
    await harness.say(anne, group, "/vragen")
    assert "1. Welke externe stakeholders <b>betrekken</b> we? ← nu aan de beurt" in harness.last_text(group)
    await harness.say(anne, group, "/vragen wijzig 2 Waarom net dat thema?")
    await harness.say(anne, group, "/volgende")
    assert "Vraag 2 van 8\nWaarom net dat thema?" in harness.last_text(group)


async def test_all_questions_removed_then_no_dialogue(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne",))
    anne = users["Anne"]
    for _ in range(8):
        await harness.say(anne, group, "/vragen verwijder 1")
    assert "Er staan geen vragen in de lijst." in harness.last_text(group)
    await harness.say(anne, group, "/dialoog")
    assert "Er staan geen vragen klaar" in harness.last_text(group)
    await harness.say(anne, group, "/dialoog morgen")
    assert "Dat begrijp ik niet. Zo gebruik je het" in harness.last_text(group)
    await harness.say(anne, group, "/dialoog stop")
    assert "Er loopt nu geen open dialoog" in harness.last_text(group)
    # Not seeded again: the group's own (empty) list stays.
    await harness.say(anne, group, "/vragen")
    assert "Er staan geen vragen in de lijst." in harness.last_text(group)


async def test_english_group_walks_the_dialogue_in_english(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne", "Bart", "Chris"), language="en")
    anne, bart, chris = users["Anne"], users["Bart"], users["Chris"]
    await harness.say(anne, group, "/vragen add Who else should we ask?")
    assert harness.last_text(group).startswith("Question 9 has been added.")
    assert "1. Which themes seem a priority to you at first sight?" in harness.last_text(group)
    await harness.say(anne, group, "/vragen move 9 2")
    assert "2. Who else should we ask?" in harness.last_text(group)
    await harness.say(anne, group, "/vragen remove 3")
    await harness.say(anne, group, "/vragen edit 3 Where can we really make a difference?")
    await harness.say(anne, group, "/vragen swap 1 2")
    assert "I do not understand that. Use /vragen to see the list" in harness.last_text(group)

    await harness.say(anne, group, "/dialoog anonymous")
    assert "Open dialogue – anonymous" in harness.last_text(group)
    await harness.say(bart, bart["id"], "Sustainable procurement")
    assert harness.last_text(bart["id"]) == (
        "Thank you, your answer has been noted anonymously (question 1). You can send more while the question is open."
    )
    await harness.say(chris, chris["id"], "y" * 2001)
    assert "Your answer is too long (more than 2000 characters)" in harness.last_text(chris["id"])
    await harness.say(anne, group, "/volgende")
    assert "Anonymous answers to question 1" in "\n".join(harness.bot_texts(group)[-2:])
    assert "Question 2 of 8\nWho else should we ask?" in harness.last_text(group)
    await harness.say(anne, group, "/dialoog stop")
    digest = harness.last_text(group)
    assert digest.startswith(
        "Summary of the open dialogue (anonymous)\nThe moderator has closed the dialogue. 1 answer to 2 questions."
    )
    assert "• Sustainable procurement" in digest and "No answers." in digest


async def test_questions_follow_the_group_language_until_edited(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne",))
    anne = users["Anne"]
    await harness.say(anne, group, "/vragen wijzig 2 Waarom net dit thema?")
    await harness.say(anne, group, "/taal en")
    await harness.say(anne, group, "/vragen")
    listed = harness.last_text(group)
    assert "1. Which themes seem a priority to you at first sight?" in listed
    assert "2. Waarom net dit thema?" in listed  # the moderator's own words stay as written


async def test_deelname_is_private_and_invites_quiet_members(harness: Harness) -> None:
    core = harness.core
    # Anne (moderator) has not opened the private chat yet; Els never presses Doe mee.
    group, users = await dialogue_group(harness, joined=("Bart", "Chris", "Dirk"))
    anne, bart, chris, dirk, els = (users[n] for n in NAMES)
    await harness.say(anne, group, "/deelname")
    assert "Er loopt nu geen open dialoog" in harness.last_text(group)
    await harness.say(anne, group, "/dialoog")
    question = question_message(harness, group)
    await harness.say(bart, group, "Een", reply_to=question["message_id"])
    await harness.say(bart, group, "Twee", reply_to=question["message_id"])
    await harness.say(els, group, "Ik ben er ook", reply_to=question["message_id"])  # seen, not joined

    await harness.say(bart, group, "/deelname")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "/deelname")
    refused = harness.last_from_bot(group)
    assert "je privégesprek met mij is nog niet open" in refused["text"]
    assert refused["reply_markup"]["inline_keyboard"][0][0]["text"] == "Doe mee"
    assert not any(ch.isdigit() for ch in refused["text"])
    await harness.follow_join_button(anne, core.sent_messages(group["id"])[0])

    private_before = {name: len(harness.bot_texts(user["id"])) for name, user in users.items()}
    group_before = len(harness.bot_texts(group))
    await harness.say(anne, group, "/deelname")
    assert harness.last_text(group) == "Anne, ik heb je het overzicht van de deelname privé gestuurd."
    assert len(harness.bot_texts(group)) == group_before + 1
    overview = harness.last_from_bot(anne["id"])
    text = harness.last_text(anne["id"])
    assert "Bijdragen per lid tot nu toe:" in text
    for line in (
        "• Bart: 2",
        "• Chris: 0",
        "• Dirk: 0",
        "• Anne (moderator): 0",
        "• Els: 1 — niet bereikbaar in privé",
    ):
        assert line in text
    assert "Nog stil of het minst aan bod: Chris, Dirk." in text
    for name in ("Bart", "Chris", "Dirk", "Els"):  # nobody else got anything
        assert len(harness.bot_texts(users[name]["id"])) == private_before[name]

    # Someone else's client sends the button's data: refused, nobody invited.
    tid = await trajectory_id(harness, group)
    data = overview["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert data.startswith(f"dlg:{tid}:") and data.endswith(":invite") and len(data.encode()) <= 64
    await harness.say(bart, bart["id"], "/help")
    query_id = await harness.forge_press(bart, harness.last_from_bot(bart["id"]), data)
    assert core.callback_queries[query_id]["answer"]["text"] == "Dat kan alleen de moderator."
    query_id = await harness.forge_press(anne, harness.last_from_bot(group), data)  # in the group: stale
    assert core.callback_queries[query_id]["answer"]["text"] == "Deze knop is niet meer geldig."
    query_id = await harness.forge_press(anne, overview, f"dlg:{tid}:999:invite")
    assert core.callback_queries[query_id]["answer"]["text"] == "Deze dialoog is afgelopen."
    assert len(harness.bot_texts(chris["id"])) == private_before["Chris"]

    await harness.press(anne, overview, data)
    for quiet in (chris, dirk):
        invitation = harness.last_text(quiet["id"])
        assert invitation.startswith(
            f"Hallo {quiet['first_name']}! In de kopgroep Gemeente Zottegem loopt de open dialoog"
        )
        assert "Reageer in de groep op mijn bericht met de vraag" in invitation
    assert len(harness.bot_texts(bart["id"])) == private_before["Bart"] + 1  # only the /help above
    result = harness.last_text(anne["id"])
    assert "Uitgenodigd: Chris, Dirk." in result
    assert "inline_keyboard" not in (harness.last_from_bot(anne["id"]).get("reply_markup") or {})
    assert all(q["answered"] for q in core.callback_queries.values())

    await harness.say(anne, group, "/dialoog stop")
    query_id = await harness.forge_press(anne, overview, data)
    assert core.callback_queries[query_id]["answer"]["text"] == "Deze dialoog is afgelopen."


async def test_deelname_in_an_anonymous_round_invites_to_answer_privately(harness: Harness) -> None:
    core = harness.core
    group, users = await dialogue_group(harness, ("Anne", "Bart", "Chris", "Dirk"))
    anne, bart, chris = users["Anne"], users["Bart"], users["Chris"]
    await harness.say(anne, group, "/dialoog anoniem")
    await harness.say(bart, bart["id"], "Mijn anoniem antwoord")
    await harness.say(chris, chris["id"], "Het mijne")
    core.block_bot(users["Dirk"])  # Dirk blocked the bot: the invitation cannot reach him
    await harness.run()
    await harness.say(anne, group, "/deelname")
    text = harness.last_text(anne["id"])
    assert "(anonieme ronde)" in text and "Je ziet alleen aantallen, nooit wie wat schreef." in text
    assert "Mijn anoniem antwoord" not in text
    assert "Nog stil of het minst aan bod: Dirk." in text
    await harness.press(anne, harness.last_from_bot(anne["id"]), text="Nodig stille leden uit")
    result = harness.last_text(anne["id"])
    assert "Ik heb niemand uitgenodigd." in result and "Niet bereikbaar in privé" in result and "Dirk" in result


async def test_everyone_equal_means_nobody_is_quiet_and_english_overview(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne", "Bart", "Chris"), language="en")
    anne, bart, chris = users["Anne"], users["Bart"], users["Chris"]
    await harness.say(anne, group, "/dialoog")
    question = question_message(harness, group)
    await harness.say(bart, group, "Yes", reply_to=question["message_id"])
    await harness.say(chris, group, "No", reply_to=question["message_id"])
    await harness.say(anne, group, "/deelname")
    assert harness.last_text(group) == "Anne, I have sent you the overview of who took part in private."
    overview = harness.last_from_bot(anne["id"])
    text = harness.last_text(anne["id"])
    assert "Contributions per member so far:" in text and "• Bart: 1" in text and "• Chris: 1" in text
    assert "Everyone has had an equal say." in text
    assert "reply_markup" not in overview or not overview["reply_markup"].get("inline_keyboard")
