"""The closing evaluation and closing the trajectory, in-process on both databases: the questions
one after another in private, skipping, bad input, anonymity in storage and in the digest, the
moderator's counts, late joiners, a restart in the middle, forged and stale buttons, /afsluiten."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from method.evaluation.questions import QUESTIONS
from storage import evaluation, synthesis
from storage.db import Database
from storage.models import Evaluation, EvaluationAnswer, EvaluationDelivery, Membership, Person, Trajectory
from tests.conversations.test_dialogue import send_sticker
from tests.conversations.voting_helpers import voting_group
from tests.harness import Harness

Q1 = "Blijft MVO aandacht krijgen nu het traject afloopt?"
Q2 = "Is jouw kijk op MVO veranderd"
Q3 = "Is de MVO-maturiteit van de organisatie gegroeid?"


def buttons(message: dict) -> list[str]:
    return [
        b.get("callback_data", "")
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row
    ]


def latest_with_prefix(harness: Harness, chat_id: int, prefix: str) -> dict:
    for message in reversed(harness.core.sent_messages(chat_id)):
        if any(data.startswith(prefix) for data in buttons(message)):
            return message
    raise AssertionError(f"no message with a {prefix!r} button in chat {chat_id}")


async def skip(harness: Harness, person: dict) -> None:
    message = latest_with_prefix(harness, person["id"], "evs:")
    data = next(d for d in buttons(message) if d.startswith("evs:"))
    await harness.press(person, message, data)


async def answers(db: Database) -> list[tuple[str, str]]:
    return await db.run(
        lambda s: sorted((a.question, a.text) for a in s.scalars(select(EvaluationAnswer)))  # type: ignore[no-any-return]
    )


async def deliveries(db: Database) -> dict[str, tuple[str, bool]]:
    def query(session: Any) -> dict[str, tuple[str, bool]]:
        rows = session.execute(
            select(Person.first_name, EvaluationDelivery.answered, EvaluationDelivery.done).join(
                Person, Person.id == EvaluationDelivery.person_id
            )
        )
        return {name: (answered, done) for name, answered, done in rows}

    return await db.run(query)


async def test_questions_one_after_another_anonymously_with_counts_and_digest(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=4, themes=1)
    anne, bart, chris, dirk = people

    await harness.say(bart, group, "/evaluatie")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "/evaluatie")
    started = harness.last_text(group)
    assert "Ik stuurde elk lid privé de drie vragen" in started
    for person in people:  # the word on anonymity comes before the first question
        first = harness.last_text(person["id"])
        assert "Anoniem" in first and "zonder je naam" in first and "Vraag 1 van 3" in first and Q1 in first

    # Bart answers all three; Chris answers one and skips two; Dirk answers the first only.
    await harness.say(bart, bart["id"], "Via de <b>werkgroep</b> duurzaamheid.")
    assert "Genoteerd, anoniem" in harness.last_text(bart["id"]) and Q2 in harness.last_text(bart["id"])
    await harness.say(bart, bart["id"], "Ruimer dan milieu alleen")
    assert Q3 in harness.last_text(bart["id"])
    await harness.say(bart, bart["id"], "Ja, we meten nu meer")
    assert "Bedankt!" in harness.last_text(bart["id"])
    await harness.say(chris, chris["id"], "In het meerjarenplan")
    await skip(harness, chris)
    assert "Overgeslagen" in harness.last_text(chris["id"]) and Q3 in harness.last_text(chris["id"])
    await skip(harness, chris)
    assert "Bedankt!" in harness.last_text(chris["id"])
    await harness.say(dirk, dirk["id"], "Als de schepen het blijven dragen")

    # Stored without anyone: the answer table has no person, and its time says nothing.
    assert await answers(harness.db) == [
        ("continuity", "Als de schepen het blijven dragen"),
        ("continuity", "In het meerjarenplan"),
        ("continuity", "Via de <b>werkgroep</b> duurzaamheid."),
        ("maturity", "Ja, we meten nu meer"),
        ("view", "Ruimer dan milieu alleen"),
    ]
    assert {c.name for c in EvaluationAnswer.__table__.columns} == {
        "id",
        "evaluation_id",
        "question",
        "text",
        "created_at",
    }
    started_at = await harness.db.run(lambda s: s.scalar(select(Evaluation.started_at)))
    assert set(await harness.db.run(lambda s: list(s.scalars(select(EvaluationAnswer.created_at))))) == {started_at}
    # Progress per person: answered and skipped look the same.
    found = await deliveries(harness.db)
    assert found["Bart"] == ("continuity,view,maturity", True)
    assert found["Chris"] == ("continuity,view,maturity", True)
    assert found["Dirk"] == ("continuity", False)
    assert found["Anne"] == ("", False)

    # The moderator sees counts only.
    await harness.say(anne, group, "/evaluatie")
    status = harness.last_text(group)
    assert "2 van 4 leden zijn klaar, 1 is bezig" in status
    # No answer counts while it runs: with who finished when, they would tell who skipped what.
    assert "Antwoord" not in status
    assert not any(p["first_name"] in status for p in people)

    # Closing: the digest privately to the moderator, per question, weak anonymity noted.
    await harness.say(anne, group, "/evaluatie sluiten")
    thanks = harness.last_text(group)
    assert "Bedankt voor jullie terugblik" in thanks and "2 van 4 leden" in thanks and "samen 5 antwoorden" in thanks
    digest = harness.last_text(anne["id"])
    assert "Terugblik · Gemeente Zottegem" in digest
    assert "Via de <b>werkgroep</b> duurzaamheid." in digest  # shown as text, escaped
    assert digest.count("anonimiteit is hier zwak") == 2  # questions 2 and 3 have one answer each
    assert not any(p["first_name"] in digest.replace("Terugblik", "") for p in (bart, chris, dirk))
    continuity = [line[2:] for line in digest.split("\n") if line.startswith("• ")][:3]
    arrival = ["Via de <b>werkgroep</b> duurzaamheid.", "In het meerjarenplan", "Als de schepen het blijven dragen"]
    assert sorted(continuity) == sorted(arrival) and continuity != arrival
    # Twice the same order; the report reads the same function.
    again = await harness.db.run(evaluation.evaluation_digest, (await trajectory_of(harness, group)))
    assert again is not None and list(again.questions[0].answers) == continuity
    assert [q.key for q in again.questions] == list(QUESTIONS) and again.answer_count == 5

    # After closing: an answer is refused kindly, and nothing is stored.
    await harness.say(dirk, dirk["id"], "Nog iets over mijn kijk")
    assert "De evaluatie is al afgerond" in harness.last_text(dirk["id"])
    assert len(await answers(harness.db)) == 5
    # /evaluatie again sends the digest again, privately.
    before = len(core.sent_messages(anne["id"]))
    await harness.say(anne, group, "/evaluatie")
    assert "Ik stuurde je de antwoorden opnieuw privé" in harness.last_text(group)
    assert len(core.sent_messages(anne["id"])) == before + 1
    assert all(q["answered"] for q in core.callback_queries.values())


async def trajectory_of(harness: Harness, group: dict) -> int:
    return await harness.db.run(lambda s: s.scalar(select(Trajectory.id).where(Trajectory.chat_id == group["id"])))


async def test_closes_itself_when_everyone_is_done_and_digest_goes_to_every_moderator(harness: Harness) -> None:
    group, people, _ = await voting_group(harness, members=3, themes=1, language="en")
    anne, bart, chris = people
    await harness.say(anne, group, "/evaluatie")
    assert "Anonymous" in harness.last_text(bart["id"])
    trajectory_id = await trajectory_of(harness, group)
    assert (await harness.db.run(synthesis.facts, trajectory_id)).evaluations == 0  # open: step 8 not done yet
    for person in people:
        for number in range(3):
            await harness.say(person, person["id"], f"{person['first_name']} answer {number + 1}")
    assert "Thank you for looking back!" in harness.last_text(group)
    assert "3 of 3 members went through all questions" in harness.last_text(group)
    digest = harness.last_text(anne["id"])
    assert "Looking back · Gemeente Zottegem" in digest and "anonymity is weak" not in digest
    assert digest.count("• ") == 9
    assert (await harness.db.run(synthesis.facts, trajectory_id)).evaluations == 1
    # Closing again: already closed; an old skip button says so, in English.
    await harness.say(anne, group, "/evaluatie sluiten")
    assert "The evaluation was closed on" in harness.last_text(group)
    question = latest_with_prefix(harness, bart["id"], "evs:")
    query = await harness.forge_press(bart, question, buttons(question)[0])
    assert harness.core.callback_queries[query]["answer"]["text"] == "The evaluation is closed already."


async def test_bad_input_loses_nothing(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=2, themes=1)
    anne, bart = people
    await harness.say(anne, group, "/evaluatie")
    for text, expected in (
        ("   \n\t  ", "Dat bericht is leeg"),
        ("x" * 10_000, "te lang: hoogstens 2000 tekens"),
    ):
        await harness.say(bart, bart["id"], text)
        assert expected in harness.last_text(bart["id"])
    send_sticker(core, bart, bart["id"])
    await harness.run()
    assert "Ik kan alleen tekst bewaren" in harness.last_text(bart["id"])
    core.send_document(bart, bart["id"], "antwoord.pdf", b"%PDF-1.4")
    await harness.run()
    assert "Ik kan alleen tekst bewaren" in harness.last_text(bart["id"])
    assert await answers(harness.db) == []
    # The question is still open: the next text is its answer.
    await harness.say(bart, bart["id"], "<script>alert(1)</script> en   gewoon   tekst")
    assert Q2 in harness.last_text(bart["id"])
    assert await answers(harness.db) == [("continuity", "<script>alert(1)</script> en gewoon tekst")]
    # Unknown private text with no question waiting still gets the usual word.
    await skip(harness, bart)
    await skip(harness, bart)
    await harness.say(bart, bart["id"], "nog iets")
    assert "Ik verwacht op dit moment geen bericht van je" in harness.last_text(bart["id"])
    assert len(await answers(harness.db)) == 1
    await harness.say(anne, group, "/evaluatie blabla")
    assert "Gebruik /evaluatie" in harness.last_text(group)


async def test_forged_and_stale_buttons_change_nothing(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=3, themes=1)
    anne, bart, chris = people
    await harness.say(anne, group, "/evaluatie")
    bart_question = latest_with_prefix(harness, bart["id"], "evs:")
    evaluation_id = int(buttons(bart_question)[0].split(":")[1])

    # Chris presses a skip for another question than his next, another evaluation, or in a group.
    query = await harness.forge_press(chris, bart_question, f"evs:{evaluation_id}:maturity")
    assert "niet voor jou" in core.callback_queries[query]["answer"]["text"]
    chris_question = latest_with_prefix(harness, chris["id"], "evs:")
    query = await harness.forge_press(chris, chris_question, f"evs:{evaluation_id}:maturity")
    assert "al behandeld" in core.callback_queries[query]["answer"]["text"]
    query = await harness.forge_press(chris, chris_question, f"evs:{evaluation_id + 99}:continuity")
    assert "niet voor jou" in core.callback_queries[query]["answer"]["text"]
    # A replayed skip: the first press counts, the second is stale.
    await skip(harness, chris)
    query = await harness.forge_press(chris, chris_question, f"evs:{evaluation_id}:continuity")
    assert "al behandeld" in core.callback_queries[query]["answer"]["text"]
    assert (await deliveries(harness.db))["Chris"] == ("continuity", False)

    # The close button: a member cannot, a forged id cannot.
    await harness.say(anne, group, "/evaluatie")
    status = harness.last_from_bot(group)
    query = await harness.forge_press(bart, status, f"evc:{evaluation_id}")
    assert "moderator" in core.callback_queries[query]["answer"]["text"]
    query = await harness.forge_press(anne, status, f"evc:{evaluation_id + 1}")
    assert "niet meer geldig" in core.callback_queries[query]["answer"]["text"]
    query = await harness.forge_press(anne, chris_question, f"evc:{evaluation_id}")  # from a private chat
    assert "niet meer geldig" in core.callback_queries[query]["answer"]["text"]
    assert (await harness.db.run(evaluation.evaluation, await trajectory_of(harness, group))).closed_at is None
    await harness.press(anne, status, f"evc:{evaluation_id}")
    assert "Bedankt voor jullie terugblik" in harness.last_text(group)
    query = await harness.forge_press(anne, status, f"evc:{evaluation_id}")
    assert "al afgerond" in core.callback_queries[query]["answer"]["text"]
    # After closing, a skip press is refused too.
    query = await harness.forge_press(bart, bart_question, f"evs:{evaluation_id}:continuity")
    assert "al afgerond" in core.callback_queries[query]["answer"]["text"]


async def test_a_restart_in_the_middle_continues_at_the_next_question(harness: Harness, core: Any) -> None:
    from fake_telegram.request import FakeTelegramRequest

    from bot.app import build_application

    group, people, _ = await voting_group(harness, members=2, themes=1)
    anne, bart = people
    await harness.say(anne, group, "/evaluatie")
    await harness.say(bart, bart["id"], "Eerste antwoord")
    assert Q2 in harness.last_text(bart["id"])

    # A new application on the same database (a new Database object too): nothing in memory survives.
    database = Database(harness.db.url)
    settings = harness.app.bot_data["services"].settings
    app = build_application(
        settings,
        db=database,
        request=FakeTelegramRequest(core),
        updates_request=FakeTelegramRequest(core),
        rate_limiter=False,
    )
    restarted = Harness(core, app, database, offset=harness.offset)
    await restarted.start()
    try:
        await restarted.say(bart, bart["id"], "Tweede antwoord")
        assert Q3 in restarted.last_text(bart["id"]) and "Genoteerd, anoniem" in restarted.last_text(bart["id"])
        await restarted.say(bart, bart["id"], "/evaluatie")  # asking again shows the same (third) question
        assert Q3 in restarted.last_text(bart["id"]) and "Anoniem" not in restarted.last_text(bart["id"])
        await restarted.say(bart, bart["id"], "Derde antwoord")
        assert "Bedankt!" in restarted.last_text(bart["id"])
    finally:
        await restarted.stop()
    assert not restarted.errors
    assert await answers(harness.db) == [
        ("continuity", "Eerste antwoord"),
        ("maturity", "Derde antwoord"),
        ("view", "Tweede antwoord"),
    ]


async def test_members_who_cannot_be_reached_are_listed_and_start_later(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=3, themes=1)
    anne, bart, chris = people
    late = core.add_user("Gert")
    core.add_member(group, late)
    await harness.say(late, group, "/leden")  # seen in the group, not joined
    core.block_bot(chris)
    await harness.run()
    await harness.say(anne, group, "/evaluatie")
    started = harness.last_from_bot(group)
    assert "Ik kon de vragen niet sturen aan: Chris" in started["text"]
    assert "Nog niet aangemeld: Gert" in started["text"]
    assert any("url" in b for row in started["reply_markup"]["inline_keyboard"] for b in row)  # Doe mee
    await harness.say(anne, group, "/evaluatie")
    assert "Niet bereikbaar in privé: Chris" in harness.last_text(group)
    assert "0 van 3 leden zijn klaar" in harness.last_text(group)

    # Gert joins through the deep link: the first question comes right away.
    welcome = core.sent_messages(group["id"])[0]
    await harness.follow_join_button(late, welcome)
    assert Q1 in harness.last_text(late["id"]) and "Anoniem" in harness.last_text(late["id"])
    # Chris unblocks and asks in private: he starts too.
    core.unblock_bot(chris)
    await harness.run()
    await harness.say(chris, chris["id"], "/evaluatie")
    assert Q1 in harness.last_text(chris["id"])
    await harness.say(chris, chris["id"], "Zeker")
    assert Q2 in harness.last_text(chris["id"])
    await harness.say(anne, group, "/evaluatie")
    assert "0 van 4 leden zijn klaar, 1 is bezig" in harness.last_text(group)
    # Someone outside any evaluation asks in private.
    stranger = core.add_user("Zoë")
    await harness.say(stranger, stranger["id"], "/evaluatie")
    assert "Er wachten geen evaluatievragen op je" in harness.last_text(stranger["id"])


async def test_closing_the_trajectory(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=3, themes=1)
    anne, bart, chris = people
    trajectory_id = await trajectory_of(harness, group)
    await harness.say(anne, group, "/evaluatie")
    await harness.say(bart, bart["id"], "Ja")

    await harness.say(bart, group, "/afsluiten")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "/afsluiten")
    ask = harness.last_from_bot(group)
    assert "Het traject afsluiten?" in ask["text"] and "De terugblik loopt nog (0 van 3 klaar)" in ask["text"]
    assert "24 maanden" in ask["text"]
    # Cancel, a member's press, a forged trajectory id: nothing changes.
    await harness.press(anne, ask, f"tcl:{trajectory_id}:no")
    assert "blijft open" in core.callback_queries[next(reversed(core.callback_queries))]["answer"]["text"]
    query = await harness.forge_press(bart, ask, f"tcl:{trajectory_id}:ok")
    assert "moderator" in core.callback_queries[query]["answer"]["text"]
    query = await harness.forge_press(anne, ask, f"tcl:{trajectory_id + 5}:ok")
    assert "niet meer geldig" in core.callback_queries[query]["answer"]["text"]
    assert await harness.db.run(evaluation.trajectory_closed_at, trajectory_id) is None

    await harness.say(anne, group, "/afsluiten")
    ask = harness.last_from_bot(group)
    await harness.press(anne, ask, f"tcl:{trajectory_id}:ok")
    texts = harness.bot_texts(group)
    assert "Bedankt voor jullie terugblik" in texts[-2]  # the open evaluation closed along
    assert "Het MVO-traject is afgesloten" in texts[-1] and "Over 24 maanden wis ik de persoonsgegevens" in texts[-1]
    assert "/themas" in texts[-1] and "/uitslag" in texts[-1]
    assert "Terugblik · Gemeente Zottegem" in harness.last_text(anne["id"])
    assert await harness.db.run(evaluation.trajectory_closed_at, trajectory_id) is not None
    # Pressing again, or asking again: already closed.
    query = await harness.forge_press(anne, ask, f"tcl:{trajectory_id}:ok")
    assert "al afgesloten" in core.callback_queries[query]["answer"]["text"]
    await harness.say(anne, group, "/afsluiten")
    assert "Het traject is al afgesloten op" in harness.last_text(group)
    # Answers after closing are not kept.
    await harness.say(chris, chris["id"], "Te laat")
    assert harness.last_text(chris["id"]).startswith("Deze kopgroep werd afgesloten")  # read-only (bot/read_only.py)
    assert await answers(harness.db) == [("continuity", "Ja")]


async def test_no_evaluation_after_the_trajectory_is_closed(harness: Harness) -> None:
    group, people, _ = await voting_group(harness, members=2, themes=1)
    anne = people[0]
    await harness.say(anne, group, "/evaluatie sluiten")
    assert "Er loopt nog geen evaluatie" in harness.last_text(group)
    await harness.say(anne, group, "/afsluiten")
    assert "Er werd nog geen terugblik gehouden" in harness.last_text(group)
    await harness.press(anne, harness.last_from_bot(group), f"tcl:{await trajectory_of(harness, group)}:ok")
    assert "Er werd geen terugblik gehouden" in harness.last_text(group)
    await harness.say(anne, group, "/evaluatie")
    assert "Het traject is afgesloten; een evaluatie starten kan niet meer" in harness.last_text(group)


async def test_a_member_who_left_is_not_counted(harness: Harness) -> None:
    group, people, _ = await voting_group(harness, members=3, themes=1)
    anne, bart, chris = people
    await harness.say(anne, group, "/evaluatie")
    trajectory_id = await trajectory_of(harness, group)

    def leave(session: Any) -> None:
        person_id = session.scalar(select(Person.id).where(Person.telegram_id == chris["id"]))
        session.execute(
            update(Membership)
            .where(Membership.person_id == person_id, Membership.trajectory_id == trajectory_id)
            .values(status="left")
        )

    await harness.db.run(leave)
    for person in (anne, bart):
        for _ in QUESTIONS:
            await skip(harness, person)
    assert "2 van 2 leden beantwoordden alle vragen" in harness.last_text(group)
    assert "samen 0 antwoorden" in harness.last_text(group)
    assert "Geen antwoorden." in harness.last_text(anne["id"])


async def test_afsluiten_in_private_points_to_the_group(harness: Harness) -> None:
    group, people, _ = await voting_group(harness, members=1, themes=1)
    anne = people[0]
    await harness.say(anne, anne["id"], "/afsluiten")
    assert harness.last_text(anne["id"]) == "Dat commando werkt in de groep van de kopgroep, niet hier."
    await harness.say(anne, anne["id"], "/evaluatie")
    assert "Er wachten geen evaluatievragen op je" in harness.last_text(anne["id"])
